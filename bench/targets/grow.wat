(module
  ;; The growth target: a memory that starts empty and grows one 64 KiB page at a time.
  ;; export "grow" (param $n i32) (result i32): n times memory.grow(1), writing one byte
  ;; into each new page; returns the new size in pages, or -1 if a grow failed.
  (memory (export "memory") 0)
  (func (export "grow") (param $n i32) (result i32)
    (local $old i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $old (memory.grow (i32.const 1)))
        (if (i32.eq (local.get $old) (i32.const -1))
          (then (return (i32.const -1))))
        (i32.store8 (i32.shl (local.get $old) (i32.const 16)) (i32.const 1))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (memory.size)))
