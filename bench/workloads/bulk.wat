(module
  ;; Bulk memory: memory.fill and memory.copy of whole MiBs in a 16 MiB memory.
  ;; export "bulk" (param $rounds i32) (result i32): per round, fill region A (4 MiB at 0)
  ;; with the byte (round * 37) & 0xFF, write one marker byte, copy A to B (4 MiB at
  ;; 4 MiB), shift B right by one byte in place (an overlapping copy: memmove), and
  ;; fold a few loads into the checksum h = h * 31 + value (i32, wrapping).
  ;; "fill" and "copy" expose the two instructions for the throughput measurement.
  (memory (export "memory") 256)
  (func (export "fill") (param $d i32) (param $v i32) (param $n i32)
    (memory.fill (local.get $d) (local.get $v) (local.get $n)))
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32)
    (memory.copy (local.get $d) (local.get $s) (local.get $n)))
  (func (export "bulk") (param $rounds i32) (result i32)
    (local $r i32) (local $h i32) (local $at i32)
    (block $done
      (loop $round
        (br_if $done (i32.ge_u (local.get $r) (local.get $rounds)))
        (memory.fill (i32.const 0) (i32.mul (local.get $r) (i32.const 37)) (i32.const 4194304))
        ;; a marker at a round-dependent place in A
        (local.set $at (i32.and (i32.mul (local.get $r) (i32.const 40503))
                                (i32.const 4194303)))
        (i32.store8 (local.get $at) (i32.add (local.get $r) (i32.const 1)))
        (memory.copy (i32.const 4194304) (i32.const 0) (i32.const 4194304))
        (memory.copy (i32.const 4194305) (i32.const 4194304) (i32.const 4194303))
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31))
                               (i32.load8_u offset=4194305 (local.get $at))))
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31))
                               (i32.load offset=4194304 (i32.const 4096))))
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31))
                               (i32.load8_u (i32.const 8388607))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $round)))
    (local.get $h)))
