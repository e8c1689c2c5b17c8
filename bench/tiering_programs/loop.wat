;; A hand-written loop: an LCG and a running sum (bench/tiering.py).
(module
  (func (export "run") (param $n i32) (result i32) (local $x i32) (local $s i32)
    (local.set $x (i32.const 1))
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
        (local.set $s (i32.add (local.get $s) (i32.shr_u (local.get $x) (i32.const 16))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (local.get $s)))
