;; Hand-written in a folded, block/br-heavy style: a collatz walk with nested blocks and
;; br_if exits, select-based min/max/abs, local.tee chains, an i64 xorshift-multiply
;; hash, and memory.fill / memory.copy over a scratch area each round. Our own code.
(module
  (memory 2)
  (func $collatz (param $x i64) (result i32)
    (local $steps i32)
    (block $done
      (loop $next
        (br_if $done (i64.le_u (local.get $x) (i64.const 1)))
        (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
        (block $odd
          (block $even
            (br_if $even (i64.eqz (i64.and (local.get $x) (i64.const 1))))
            (br $odd))
          (local.set $x (i64.shr_u (local.get $x) (i64.const 1)))
          (br $next))
        (local.set $x (i64.add (i64.mul (local.get $x) (i64.const 3)) (i64.const 1)))
        (br $next)))
    (local.get $steps))
  (func $mix (param $h i64) (param $v i64) (result i64)
    (local $t i64)
    (local.set $t (i64.xor (local.get $h) (local.get $v)))
    (local.set $t (i64.xor (local.tee $t (i64.mul (local.get $t) (i64.const 0x9E3779B97F4A7C15)))
                           (i64.shr_u (local.get $t) (i64.const 29))))
    (i64.rotl (local.get $t) (i64.const 17)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $h i64) (local $a i32) (local $b i32) (local $m i32)
    (local.set $h (i64.const 0x0123456789ABCDEF))
    (block $out
      (loop $round
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        ;; collatz lengths folded into the hash
        (local.set $j (i32.const 1))
        (block $c_out
          (loop $c
            (br_if $c_out (i32.gt_u (local.get $j) (i32.const 40)))
            (local.set $h (call $mix (local.get $h)
              (i64.extend_i32_u (call $collatz
                (i64.add (i64.extend_i32_u (i32.mul (local.get $i) (i32.const 40)))
                         (i64.extend_i32_u (local.get $j)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $c)))
        ;; select-based min/max/abs over pseudo-random pairs, stored to memory
        (local.set $j (i32.const 0))
        (loop $s
          (local.set $a (i32.wrap_i64 (local.get $h)))
          (local.set $b (i32.wrap_i64 (i64.shr_u (local.tee $h (call $mix (local.get $h) (i64.extend_i32_u (local.get $j)))) (i64.const 32))))
          (i32.store (i32.shl (local.get $j) (i32.const 2))
            (i32.add
              (select (local.get $a) (local.get $b) (i32.lt_s (local.get $a) (local.get $b)))
              (select (i32.sub (i32.const 0) (local.tee $m (i32.sub (local.get $a) (local.get $b))))
                      (local.get $m) (i32.lt_s (local.get $m) (i32.const 0)))))
          (br_if $s (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 256))))
        ;; bulk memory: fill, copy forwards and overlapping, then sample
        (memory.fill (i32.const 2048) (i32.and (local.get $i) (i32.const 255)) (i32.const 4096))
        (memory.copy (i32.const 8192) (i32.const 0) (i32.const 1024))
        (memory.copy (i32.const 100) (i32.const 8192) (i32.const 3000))
        (local.set $j (i32.const 0))
        (loop $sum
          (local.set $h (i64.add (local.get $h)
            (i64.load (i32.shl (local.get $j) (i32.const 3)))))
          (br_if $sum (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 1024))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $round)))
    (i32.wrap_i64 (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 32))))))
