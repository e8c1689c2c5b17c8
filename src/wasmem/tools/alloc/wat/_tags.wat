  ;; ---- boundary-tag blocks (spliced into freelist and tlsf by wasmem.tools.alloc.load) ----
  ;; A block at b of size S (a multiple of 8, at least 24) tiles [$heap_start, $heap_end):
  ;;   b+0      S | 1 when in use
  ;;   b+4      in use: $MAGIC xor b (checked by free); free: 0
  ;;   b+8      free: next free block of its list;  in use: payload starts here
  ;;   b+12     free: previous free block of its list
  ;;   b+S-4    footer: S | 1 when in use (the tag the next block reads to coalesce)
  ;; Needs: $heap_start, $heap_end, $list_insert, $list_remove, $list_find, and $prepare
  ;; (called by malloc first; 0 when the allocator cannot set itself up).

  (global $MAGIC i32 (i32.const 0x5AFE0B1C))

  (func $set_tags (param $b i32) (param $size_used i32)
    (i32.store (local.get $b) (local.get $size_used))
    (i32.store (i32.sub (i32.add (local.get $b) (i32.and (local.get $size_used) (i32.const -8)))
                        (i32.const 4))
               (local.get $size_used)))

  ;; Mark b used with (at least) need bytes; the rest, when >= 24 bytes, becomes a free block.
  (func $take (param $b i32) (param $need i32) (result i32)
    (local $size i32)
    (local.set $size (i32.load (local.get $b)))
    (if (i32.ge_u (i32.sub (local.get $size) (local.get $need)) (i32.const 24))
      (then
        (call $set_tags (i32.add (local.get $b) (local.get $need))
                        (i32.sub (local.get $size) (local.get $need)))
        (i32.store offset=4 (i32.add (local.get $b) (local.get $need)) (i32.const 0))
        (call $list_insert (i32.add (local.get $b) (local.get $need)))
        (local.set $size (local.get $need))))
    (call $set_tags (local.get $b) (i32.or (local.get $size) (i32.const 1)))
    (i32.store offset=4 (local.get $b) (i32.xor (global.get $MAGIC) (local.get $b)))
    (i32.add (local.get $b) (i32.const 8)))

  ;; Grow the heap so that a free block of at least need bytes ends it; 0 when memory is full.
  (func $extend (param $need i32) (result i32)
    (local $base i32) (local $end i32) (local $tag i32)
    (local.set $base (global.get $heap_end))
    (if (i32.gt_u (global.get $heap_end) (global.get $heap_start))
      (then
        (local.set $tag (i32.load (i32.sub (global.get $heap_end) (i32.const 4))))
        (if (i32.eqz (i32.and (local.get $tag) (i32.const 1)))
          (then (local.set $base (i32.sub (global.get $heap_end) (local.get $tag)))))))
    (if (i32.eqz (call $grow_to (i64.add (i64.extend_i32_u (local.get $base))
                                         (i64.extend_i32_u (local.get $need)))))
      (then (return (i32.const 0))))
    (local.set $end (call $memory_end))
    (if (i32.lt_u (i32.sub (local.get $end) (local.get $base)) (local.get $need))
      (then (return (i32.const 0))))
    (if (i32.ne (local.get $base) (global.get $heap_end))
      (then (call $list_remove (local.get $base))))
    (call $set_tags (local.get $base) (i32.sub (local.get $end) (local.get $base)))
    (i32.store offset=4 (local.get $base) (i32.const 0))
    (global.set $heap_end (local.get $end))
    (call $list_insert (local.get $base))
    (local.get $base))

  ;; malloc(0) returns a unique pointer to a 12-byte block (free it like any other).
  (func $malloc (export "malloc") (param $n i32) (result i32)
    (local $need i32) (local $b i32)
    (if (i32.gt_u (local.get $n) (i32.const 0x7FFFFF00)) (then (return (i32.const 0))))
    (if (i32.eqz (call $prepare)) (then (return (i32.const 0))))
    (local.set $need (i32.and (i32.add (local.get $n) (i32.const 19)) (i32.const -8)))
    (if (i32.lt_u (local.get $need) (i32.const 24)) (then (local.set $need (i32.const 24))))
    (local.set $b (call $list_find (local.get $need)))
    (if (i32.eqz (local.get $b))
      (then
        (local.set $b (call $extend (local.get $need)))
        (if (i32.eqz (local.get $b)) (then (return (i32.const 0))))))
    (call $list_remove (local.get $b))
    (call $take (local.get $b) (local.get $need)))

  ;; The block of payload p, or a trap when p is not a live block of this heap.
  (func $block_of (param $p i32) (result i32)
    (local $b i32) (local $word i32) (local $size i32)
    (local.set $b (i32.sub (local.get $p) (i32.const 8)))
    (if (i32.or (i32.and (local.get $p) (i32.const 7))
          (i32.or (i32.lt_u (local.get $b) (global.get $heap_start))
                  (i32.ge_u (local.get $p) (global.get $heap_end))))
      (then unreachable))
    (local.set $word (i32.load (local.get $b)))
    (local.set $size (i32.and (local.get $word) (i32.const -8)))
    (if (i32.or (i32.eqz (i32.and (local.get $word) (i32.const 1)))
                (i32.ne (i32.load offset=4 (local.get $b))
                        (i32.xor (global.get $MAGIC) (local.get $b))))
      (then unreachable))
    (if (i32.or (i32.lt_u (local.get $size) (i32.const 24))
                (i32.gt_u (local.get $size) (i32.sub (global.get $heap_end) (local.get $b))))
      (then unreachable))
    (if (i32.ne (i32.load (i32.sub (i32.add (local.get $b) (local.get $size)) (i32.const 4)))
                (local.get $word))
      (then unreachable))
    (local.get $b))

  ;; Grow the live block of p to hold n bytes by taking the free block after it, if any.
  (func $resize_in_place (param $p i32) (param $n i32) (result i32)
    (local $b i32) (local $size i32) (local $next i32) (local $tag i32) (local $need i32)
    (if (i32.gt_u (local.get $n) (i32.const 0x7FFFFF00)) (then (return (i32.const 0))))
    (local.set $b (call $block_of (local.get $p)))
    (local.set $size (i32.and (i32.load (local.get $b)) (i32.const -8)))
    (local.set $need (i32.and (i32.add (local.get $n) (i32.const 19)) (i32.const -8)))
    (local.set $next (i32.add (local.get $b) (local.get $size)))
    (if (i32.ge_u (local.get $next) (global.get $heap_end)) (then (return (i32.const 0))))
    (local.set $tag (i32.load (local.get $next)))
    (if (i32.and (local.get $tag) (i32.const 1)) (then (return (i32.const 0))))
    (if (i32.lt_u (i32.add (local.get $size) (local.get $tag)) (local.get $need))
      (then (return (i32.const 0))))
    (call $list_remove (local.get $next))
    (i32.store (local.get $b) (i32.add (local.get $size) (local.get $tag)))
    (drop (call $take (local.get $b) (local.get $need)))
    (i32.const 1))

  (func $usable_size (param $p i32) (result i32)
    (i32.sub (i32.and (i32.load (call $block_of (local.get $p))) (i32.const -8)) (i32.const 12)))

  ;; free(0) does nothing; freeing merges the block with free neighbours on both sides.
  (func $free (export "free") (param $p i32)
    (local $b i32) (local $size i32) (local $next i32) (local $tag i32)
    (if (i32.eqz (local.get $p)) (then (return)))
    (local.set $b (call $block_of (local.get $p)))
    (local.set $size (i32.and (i32.load (local.get $b)) (i32.const -8)))
    (i32.store offset=4 (local.get $b) (i32.const 0))
    (local.set $next (i32.add (local.get $b) (local.get $size)))
    (if (i32.lt_u (local.get $next) (global.get $heap_end))
      (then
        (local.set $tag (i32.load (local.get $next)))
        (if (i32.eqz (i32.and (local.get $tag) (i32.const 1)))
          (then
            (call $list_remove (local.get $next))
            (local.set $size (i32.add (local.get $size) (local.get $tag)))))))
    (if (i32.gt_u (local.get $b) (global.get $heap_start))
      (then
        (local.set $tag (i32.load (i32.sub (local.get $b) (i32.const 4))))
        (if (i32.eqz (i32.and (local.get $tag) (i32.const 1)))
          (then
            (local.set $b (i32.sub (local.get $b) (local.get $tag)))
            (call $list_remove (local.get $b))
            (local.set $size (i32.add (local.get $size) (local.get $tag)))))))
    (call $set_tags (local.get $b) (local.get $size))
    (i32.store offset=4 (local.get $b) (i32.const 0))
    (call $list_insert (local.get $b)))
