;; Multi-value written by hand (helper recur11, bench/STARTUP.md): a recursive function
;; returning two values (a Fibonacci pair), divmod returning quotient and remainder, a
;; swap, and a recursive gcd on divmod's results; run(n) hashes n rounds. Our own code.
(module
  (func $fibpair (param $n i32) (result i64 i64)
    (local $a i64) (local $b i64)
    (if (result i64 i64) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i64.const 0) (i64.const 1))
      (else
        (call $fibpair (i32.sub (local.get $n) (i32.const 1)))
        (local.set $b) (local.set $a)
        (local.get $b)
        (i64.add (local.get $a) (local.get $b)))))
  (func $divmod (param i32 i32) (result i32 i32)
    (i32.div_u (local.get 0) (local.get 1))
    (i32.rem_u (local.get 0) (local.get 1)))
  (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
  (func $digitsum (param $x i32) (result i32)
    (local $s i32) (local $d i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $x)))
        (call $divmod (local.get $x) (i32.const 10))
        (local.set $d) (local.set $x)
        (local.set $s (i32.add (local.get $s) (local.get $d)))
        (br $next)))
    (local.get $s))
  (func $gcd (param i32 i32) (result i32)
    (if (result i32) (i32.eqz (local.get 1))
      (then (local.get 0))
      (else (call $divmod (local.get 0) (local.get 1)) (local.set 0) (drop) (call $gcd (local.get 1) (local.get 0)))))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $h i32) (local $p i32) (local $q i32)
    (block $out
      (loop $again
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        (call $fibpair (i32.add (i32.const 20) (i32.rem_u (local.get $i) (i32.const 10))))
        (i32.wrap_i64) (local.set $p) (i32.wrap_i64) (local.set $q)
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31)) (i32.xor (local.get $p) (local.get $q))))
        (call $swap (local.get $h) (local.get $i))
        (local.set $p) (local.set $q)
        (local.set $h (i32.add (i32.add (i32.mul (local.get $p) (i32.const 33)) (local.get $q))
          (call $digitsum (i32.add (local.get $p) (i32.const 123456789)))))
        (local.set $h (i32.add (local.get $h) (call $gcd (i32.add (local.get $h) (i32.const 1)) (i32.const 1000003))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (local.get $h)))
