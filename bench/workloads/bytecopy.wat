(module
  ;; Byte loops: fill a source buffer byte by byte, copy it byte by byte (i32.load8_u /
  ;; i32.store8, one byte per iteration), then checksum the copy byte by byte.
  ;; export "bytecopy" (param $n i32) (result i32): n <= 1 MiB bytes; the checksum is
  ;; h = h * 31 + byte over the copy (i32, wrapping).
  (memory (export "memory") 32)
  (func (export "bytecopy") (param $n i32) (result i32)
    (local $i i32) (local $h i32)
    ;; source [0, n): byte i is (i * 7 + (i >> 8)) & 0xFF
    (block $filled
      (loop $fill
        (br_if $filled (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 (local.get $i)
          (i32.add (i32.mul (local.get $i) (i32.const 7))
                   (i32.shr_u (local.get $i) (i32.const 8))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    ;; destination [1 MiB, 1 MiB + n)
    (local.set $i (i32.const 0))
    (block $copied
      (loop $copy
        (br_if $copied (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 offset=1048576 (local.get $i) (i32.load8_u (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (local.set $i (i32.const 0))
    (block $summed
      (loop $sum
        (br_if $summed (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31))
                               (i32.load8_u offset=1048576 (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum)))
    (local.get $h)))
