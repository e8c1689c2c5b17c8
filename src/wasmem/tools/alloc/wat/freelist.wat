;; freelist: one doubly linked list of free blocks with boundary tags (wasmem.tools.alloc).
;; First fit by default; load("freelist-best") picks the smallest block that fits.
;; Splitting on malloc, coalescing with both neighbours on free, memory.grow when full.
(module
  (memory (export "memory") 1)
  (global $heap_base (export "heap_base") i32 (i32.const 1024 (;heap_base;)))
  (global $heap_start (export "heap_start") i32 (i32.const 1024 (;heap_base;)))
  (global $heap_end (export "heap_end") (mut i32) (i32.const 1024 (;heap_base;)))
  (global $free_head (export "free_head") (mut i32) (i32.const 0))
  (global $best_fit (export "best_fit") i32 (i32.const 0))
  (global (export "__wasmem_allocator") i32 (i32.const 2))

  (func $prepare (result i32) (i32.const 1))

  (func $list_insert (param $b i32)
    (i32.store offset=8 (local.get $b) (global.get $free_head))
    (i32.store offset=12 (local.get $b) (i32.const 0))
    (if (global.get $free_head)
      (then (i32.store offset=12 (global.get $free_head) (local.get $b))))
    (global.set $free_head (local.get $b)))

  (func $list_remove (param $b i32)
    (local $next i32) (local $prev i32)
    (local.set $next (i32.load offset=8 (local.get $b)))
    (local.set $prev (i32.load offset=12 (local.get $b)))
    (if (local.get $prev)
      (then (i32.store offset=8 (local.get $prev) (local.get $next)))
      (else (global.set $free_head (local.get $next))))
    (if (local.get $next)
      (then (i32.store offset=12 (local.get $next) (local.get $prev)))))

  ;; First fit, or best fit (stopping early at an exact fit); 0 when no block is large enough.
  (func $list_find (param $need i32) (result i32)
    (local $b i32) (local $size i32) (local $best i32) (local $best_size i32)
    (local.set $b (global.get $free_head))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $b)))
        (local.set $size (i32.load (local.get $b)))
        (if (i32.ge_u (local.get $size) (local.get $need))
          (then
            (if (i32.eqz (global.get $best_fit)) (then (return (local.get $b))))
            (if (i32.or (i32.eqz (local.get $best))
                        (i32.lt_u (local.get $size) (local.get $best_size)))
              (then (local.set $best (local.get $b)) (local.set $best_size (local.get $size))))
            (br_if $done (i32.eq (local.get $size) (local.get $need)))))
        (local.set $b (i32.load offset=8 (local.get $b)))
        (br $next)))
    (local.get $best))

  ;;@include _tags
  ;;@include _common
)
