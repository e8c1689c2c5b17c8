;; buddy: power-of-two blocks split in halves and merged with their buddy (wasmem.tools.alloc).
;; The heap is one region of 2**order bytes from heap_start = heap_base + 128 that doubles
;; when it is full (its new upper half is the buddy of the old region). A block of order k
;; (2**k bytes, 4 <= k) starts at heap_start + a multiple of 2**k with an 8-byte header:
;;   b+0  k | 256 when in use        b+4  in use: $MAGIC xor b; free: 0
;;   b+8  free: next free block of order k      b+12  free: previous one
;; Control block at heap_base: the head of the free list of order k at heap_base + 4*k.
(module
  (memory (export "memory") 1)
  (global $heap_base (export "heap_base") i32 (i32.const 1024 (;heap_base;)))
  (global $region_order (export "region_order") (mut i32) (i32.const 0))
  (global $MAGIC i32 (i32.const 0xB0DD1E5))
  (global (export "__wasmem_allocator") i32 (i32.const 5))

  (func $start (result i32) (i32.add (global.get $heap_base) (i32.const 128)))
  (func $head (param $order i32) (result i32)
    (i32.add (global.get $heap_base) (i32.shl (local.get $order) (i32.const 2))))

  (func $push (param $b i32) (param $order i32)
    (local $first i32)
    (local.set $first (i32.load (call $head (local.get $order))))
    (i32.store (local.get $b) (local.get $order))
    (i32.store offset=4 (local.get $b) (i32.const 0))
    (i32.store offset=8 (local.get $b) (local.get $first))
    (i32.store offset=12 (local.get $b) (i32.const 0))
    (if (local.get $first) (then (i32.store offset=12 (local.get $first) (local.get $b))))
    (i32.store (call $head (local.get $order)) (local.get $b)))

  (func $unlink (param $b i32)
    (local $next i32) (local $prev i32)
    (local.set $next (i32.load offset=8 (local.get $b)))
    (local.set $prev (i32.load offset=12 (local.get $b)))
    (if (local.get $prev)
      (then (i32.store offset=8 (local.get $prev) (local.get $next)))
      (else (i32.store (call $head (i32.load (local.get $b))) (local.get $next))))
    (if (local.get $next) (then (i32.store offset=12 (local.get $next) (local.get $prev)))))

  ;; Double the region (or create it with 2**order bytes); 0 when memory cannot grow.
  (func $double (param $order i32) (result i32)
    (local $k i32)
    (local.set $k (global.get $region_order))
    (if (i32.eqz (local.get $k))
      (then
        (if (i32.lt_u (local.get $order) (i32.const 12)) (then (local.set $order (i32.const 12))))
        (if (i32.eqz (call $grow_to (i64.add (i64.extend_i32_u (call $start))
                                             (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $order))))))
          (then (return (i32.const 0))))
        (memory.fill (global.get $heap_base) (i32.const 0) (i32.const 128))
        (call $push (call $start) (local.get $order))
        (global.set $region_order (local.get $order))
        (return (i32.const 1))))
    (if (i32.eqz (call $grow_to (i64.add (i64.extend_i32_u (call $start))
                                         (i64.shl (i64.const 2) (i64.extend_i32_u (local.get $k))))))
      (then (return (i32.const 0))))
    (global.set $region_order (i32.add (local.get $k) (i32.const 1)))
    (if (i32.eq (i32.load (call $start)) (local.get $k))
      (then
        (call $unlink (call $start))
        (call $push (call $start) (global.get $region_order)))
      (else
        (call $push (i32.add (call $start) (i32.shl (i32.const 1) (local.get $k))) (local.get $k))))
    (i32.const 1))

  ;; malloc(0) returns a unique pointer to a 16-byte block (8 bytes usable).
  (func $malloc (export "malloc") (param $n i32) (result i32)
    (local $order i32) (local $j i32) (local $b i32)
    (if (i32.gt_u (local.get $n) (i32.const 0x7FFFFF00)) (then (return (i32.const 0))))
    (local.set $order (i32.sub (i32.const 32) (i32.clz (i32.add (local.get $n) (i32.const 7)))))
    (if (i32.lt_u (local.get $order) (i32.const 4)) (then (local.set $order (i32.const 4))))
    (block $found
      (loop $search
        (local.set $j (local.get $order))
        (block $none
          (loop $up
            (br_if $none (i32.gt_u (local.get $j) (global.get $region_order)))
            (local.set $b (i32.load (call $head (local.get $j))))
            (br_if $found (local.get $b))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $up)))
        (if (i32.eqz (call $double (local.get $order))) (then (return (i32.const 0))))
        (br $search)))
    (call $unlink (local.get $b))
    (block $done
      (loop $split
        (br_if $done (i32.eq (local.get $j) (local.get $order)))
        (local.set $j (i32.sub (local.get $j) (i32.const 1)))
        (call $push (i32.add (local.get $b) (i32.shl (i32.const 1) (local.get $j))) (local.get $j))
        (br $split)))
    (i32.store (local.get $b) (i32.or (local.get $order) (i32.const 256)))
    (i32.store offset=4 (local.get $b) (i32.xor (global.get $MAGIC) (local.get $b)))
    (i32.add (local.get $b) (i32.const 8)))

  ;; The block of payload p, or a trap when p is not a live block.
  (func $block_of (param $p i32) (result i32)
    (local $b i32) (local $word i32) (local $order i32)
    (local.set $b (i32.sub (local.get $p) (i32.const 8)))
    (if (i32.or (i32.or (i32.and (local.get $p) (i32.const 7)) (i32.eqz (global.get $region_order)))
          (i32.or (i32.lt_u (local.get $b) (call $start))
                  (i32.ge_u (i32.sub (local.get $b) (call $start))
                            (i32.shl (i32.const 1) (global.get $region_order)))))
      (then unreachable))
    (local.set $word (i32.load (local.get $b)))
    (local.set $order (i32.and (local.get $word) (i32.const 255)))
    (if (i32.or (i32.or (i32.ne (i32.and (local.get $word) (i32.const -256)) (i32.const 256))
                        (i32.ne (i32.load offset=4 (local.get $b))
                                (i32.xor (global.get $MAGIC) (local.get $b))))
          (i32.or (i32.or (i32.lt_u (local.get $order) (i32.const 4))
                          (i32.gt_u (local.get $order) (global.get $region_order)))
                  (i32.and (i32.sub (local.get $b) (call $start))
                           (i32.sub (i32.shl (i32.const 1) (local.get $order)) (i32.const 1)))))
      (then unreachable))
    (local.get $b))

  ;; Blocks keep their size class: realloc always moves a block that must grow.
  (func $resize_in_place (param i32 i32) (result i32) (i32.const 0))

  (func $usable_size (param $p i32) (result i32)
    (i32.sub (i32.shl (i32.const 1) (i32.and (i32.load (call $block_of (local.get $p))) (i32.const 255)))
             (i32.const 8)))

  ;; free(0) does nothing; a freed block merges with its buddy while the buddy is free.
  (func $free (export "free") (param $p i32)
    (local $b i32) (local $order i32) (local $buddy i32)
    (if (i32.eqz (local.get $p)) (then (return)))
    (local.set $b (call $block_of (local.get $p)))
    (local.set $order (i32.and (i32.load (local.get $b)) (i32.const 255)))
    (i32.store offset=4 (local.get $b) (i32.const 0))
    (block $done
      (loop $merge
        (br_if $done (i32.ge_u (local.get $order) (global.get $region_order)))
        (local.set $buddy (i32.add (call $start)
          (i32.xor (i32.sub (local.get $b) (call $start)) (i32.shl (i32.const 1) (local.get $order)))))
        (br_if $done (i32.ne (i32.load (local.get $buddy)) (local.get $order)))
        (call $unlink (local.get $buddy))
        (if (i32.lt_u (local.get $buddy) (local.get $b)) (then (local.set $b (local.get $buddy))))
        (local.set $order (i32.add (local.get $order) (i32.const 1)))
        (br $merge)))
    (call $push (local.get $b) (local.get $order)))

  ;;@include _common
)
