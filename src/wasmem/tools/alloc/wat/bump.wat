;; bump: a pointer that only moves up (wasmem.tools.alloc). reset() drops every block at once.
;; Each block has an 8-byte header: [size | 1 when in use][size of the block before it, 0
;; for the first]. free marks the block; when the topmost blocks are free the pointer moves
;; back down over them, so freeing in reverse order (a stack) reuses memory.
(module
  (memory (export "memory") 1)
  (global $heap_base (export "heap_base") i32 (i32.const 1024 (;heap_base;)))
  (global $heap_start (export "heap_start") i32 (i32.const 1024 (;heap_base;)))
  (global $top (export "top") (mut i32) (i32.const 1024 (;heap_base;)))
  (global $last (export "last_size") (mut i32) (i32.const 0))
  (global (export "__wasmem_allocator") i32 (i32.const 1))

  ;; malloc(0) returns a unique pointer to an 8-byte block.
  (func $malloc (export "malloc") (param $n i32) (result i32)
    (local $need i32) (local $b i32)
    (if (i32.gt_u (local.get $n) (i32.const 0x7FFFFF00)) (then (return (i32.const 0))))
    (local.set $need (i32.add (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))
                              (i32.const 8)))
    (if (i32.lt_u (local.get $need) (i32.const 16)) (then (local.set $need (i32.const 16))))
    (local.set $b (global.get $top))
    (if (i32.eqz (call $grow_to (i64.add (i64.extend_i32_u (local.get $b))
                                         (i64.extend_i32_u (local.get $need)))))
      (then (return (i32.const 0))))
    (i32.store (local.get $b) (i32.or (local.get $need) (i32.const 1)))
    (i32.store offset=4 (local.get $b) (global.get $last))
    (global.set $top (i32.add (local.get $b) (local.get $need)))
    (global.set $last (local.get $need))
    (i32.add (local.get $b) (i32.const 8)))

  ;; The block of payload p, or a trap when p is not a live block.
  (func $block_of (param $p i32) (result i32)
    (local $b i32) (local $word i32) (local $prev i32)
    (local.set $b (i32.sub (local.get $p) (i32.const 8)))
    (if (i32.or (i32.and (local.get $p) (i32.const 7))
          (i32.or (i32.lt_u (local.get $b) (global.get $heap_start))
                  (i32.ge_u (local.get $p) (global.get $top))))
      (then unreachable))
    (local.set $word (i32.load (local.get $b)))
    (if (i32.or (i32.ne (i32.and (local.get $word) (i32.const 7)) (i32.const 1))
          (i32.or (i32.lt_u (local.get $word) (i32.const 16))
                  (i32.gt_u (i32.and (local.get $word) (i32.const -8))
                            (i32.sub (global.get $top) (local.get $b)))))
      (then unreachable))
    (local.set $prev (i32.load offset=4 (local.get $b)))
    (if (i32.ne (i32.eqz (local.get $prev)) (i32.eq (local.get $b) (global.get $heap_start)))
      (then unreachable))
    (if (local.get $prev)
      (then
        (if (i32.or (i32.gt_u (local.get $prev) (i32.sub (local.get $b) (global.get $heap_start)))
                    (i32.ne (i32.and (i32.load (i32.sub (local.get $b) (local.get $prev)))
                                     (i32.const -8))
                            (local.get $prev)))
          (then unreachable))))
    (local.get $b))

  ;; The topmost block grows where it is (the pointer moves up); no other block can.
  (func $resize_in_place (param $p i32) (param $n i32) (result i32)
    (local $b i32) (local $need i32)
    (if (i32.gt_u (local.get $n) (i32.const 0x7FFFFF00)) (then (return (i32.const 0))))
    (local.set $b (call $block_of (local.get $p)))
    (if (i32.ne (i32.add (local.get $b) (i32.and (i32.load (local.get $b)) (i32.const -8)))
                (global.get $top))
      (then (return (i32.const 0))))
    (local.set $need (i32.add (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))
                              (i32.const 8)))
    (if (i32.eqz (call $grow_to (i64.add (i64.extend_i32_u (local.get $b))
                                         (i64.extend_i32_u (local.get $need)))))
      (then (return (i32.const 0))))
    (i32.store (local.get $b) (i32.or (local.get $need) (i32.const 1)))
    (global.set $top (i32.add (local.get $b) (local.get $need)))
    (global.set $last (local.get $need))
    (i32.const 1))

  (func $usable_size (param $p i32) (result i32)
    (i32.sub (i32.and (i32.load (call $block_of (local.get $p))) (i32.const -8)) (i32.const 8)))

  ;; free(0) does nothing; freeing the topmost blocks moves the pointer back down.
  (func $free (export "free") (param $p i32)
    (local $b i32)
    (if (i32.eqz (local.get $p)) (then (return)))
    (local.set $b (call $block_of (local.get $p)))
    (i32.store (local.get $b) (i32.and (i32.load (local.get $b)) (i32.const -8)))
    (block $done
      (loop $down
        (br_if $done (i32.eqz (global.get $last)))
        (local.set $b (i32.sub (global.get $top) (global.get $last)))
        (br_if $done (i32.and (i32.load (local.get $b)) (i32.const 1)))
        (global.set $top (local.get $b))
        (global.set $last (i32.load offset=4 (local.get $b)))
        (br $down))))

  ;; Forget every block: the next malloc starts again at heap_start.
  (func (export "reset")
    (global.set $top (global.get $heap_start))
    (global.set $last (i32.const 0)))

  ;;@include _common
)
