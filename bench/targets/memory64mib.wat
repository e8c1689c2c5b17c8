(module
  ;; The memory-footprint target: a 64 MiB linear memory (1024 pages).
  ;; export "touch" (result i32): writes one byte in every 4 KiB of the memory, so every
  ;; page of the host's backing store is resident; returns the number of bytes written
  ;; (16384).
  (memory (export "memory") 1024)
  (func (export "touch") (result i32)
    (local $address i32) (local $count i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $address) (i32.const 67108864)))
        (i32.store8 (local.get $address) (i32.const 1))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (local.set $address (i32.add (local.get $address) (i32.const 4096)))
        (br $next)))
    (local.get $count)))
