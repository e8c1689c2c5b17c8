;; pools: segregated size classes that grow by whole pages (wasmem.tools.alloc).
;; Ten classes of 8, 16, ..., 4096 bytes; larger requests get their own run of pages.
;; The heap is a sequence of spans, each a whole number of 64 KiB pages starting at a page
;; boundary from heap_start (heap_base + 64 rounded up to a page), with a 64-byte header:
;;   s+0  kind: 1 = one page of a size class, 2 = a large block, 3 = free pages
;;   s+4  number of pages      s+8  $MAGIC xor s
;;   s+12 class index k (block size 8 << k)   s+16 class: blocks in use; free: next free span
;;   s+20 free: previous free span
;; A class page keeps one in-use bit per block at s+64 (1024 bytes); its blocks start at
;; s+1088 and its free blocks are linked (next pointer in their first word) in the list of
;; their class. A large block's payload starts at s+64. Class pages stay with their class.
;; Control block at heap_base: head of class k's free list at heap_base + 4*k (k < 10),
;; head of the free span list at heap_base + 40.
(module
  (memory (export "memory") 1)
  (global $heap_base (export "heap_base") i32 (i32.const 1024 (;heap_base;)))
  (global $heap_start (export "heap_start") (mut i32) (i32.const 0))
  (global $heap_end (export "heap_end") (mut i32) (i32.const 0))
  (global $MAGIC i32 (i32.const 0x9001CAFE))
  (global (export "__wasmem_allocator") i32 (i32.const 4))

  (func $prepare (result i32)
    (local $start i32)
    (if (global.get $heap_start) (then (return (i32.const 1))))
    (local.set $start (i32.and (i32.add (global.get $heap_base) (i32.const 0x1003F))
                               (i32.const 0xFFFF0000)))
    (if (i32.eqz (call $grow_to (i64.extend_i32_u (local.get $start)))) (then (return (i32.const 0))))
    (memory.fill (global.get $heap_base) (i32.const 0) (i32.const 64))
    (global.set $heap_start (local.get $start))
    (global.set $heap_end (local.get $start))
    (i32.const 1))

  (func $span_unlink (param $s i32)
    (local $next i32) (local $prev i32)
    (local.set $next (i32.load offset=16 (local.get $s)))
    (local.set $prev (i32.load offset=20 (local.get $s)))
    (if (local.get $prev)
      (then (i32.store offset=16 (local.get $prev) (local.get $next)))
      (else (i32.store offset=40 (global.get $heap_base) (local.get $next))))
    (if (local.get $next) (then (i32.store offset=20 (local.get $next) (local.get $prev)))))

  ;; Make s a free span of the given pages and put it first in the free span list.
  (func $span_release (param $s i32) (param $pages i32)
    (local $first i32)
    (local.set $first (i32.load offset=40 (global.get $heap_base)))
    (i32.store (local.get $s) (i32.const 3))
    (i32.store offset=4 (local.get $s) (local.get $pages))
    (i32.store offset=8 (local.get $s) (i32.xor (global.get $MAGIC) (local.get $s)))
    (i32.store offset=16 (local.get $s) (local.get $first))
    (i32.store offset=20 (local.get $s) (i32.const 0))
    (if (local.get $first) (then (i32.store offset=20 (local.get $first) (local.get $s))))
    (i32.store offset=40 (global.get $heap_base) (local.get $s)))

  ;; A span of the given pages (first fit among free spans, else new pages); 0 if none.
  (func $span_take (param $pages i32) (param $kind i32) (result i32)
    (local $s i32) (local $have i32)
    (local.set $s (i32.load offset=40 (global.get $heap_base)))
    (block $found
      (loop $next
        (br_if $found (i32.eqz (local.get $s)))
        (br_if $found (i32.ge_u (i32.load offset=4 (local.get $s)) (local.get $pages)))
        (local.set $s (i32.load offset=16 (local.get $s)))
        (br $next)))
    (if (local.get $s)
      (then
        (call $span_unlink (local.get $s))
        (local.set $have (i32.load offset=4 (local.get $s)))
        (if (i32.gt_u (local.get $have) (local.get $pages))
          (then (call $span_release
                  (i32.add (local.get $s) (i32.shl (local.get $pages) (i32.const 16)))
                  (i32.sub (local.get $have) (local.get $pages))))))
      (else
        (if (i32.eqz (call $grow_to (i64.add (i64.extend_i32_u (global.get $heap_end))
                                             (i64.shl (i64.extend_i32_u (local.get $pages)) (i64.const 16)))))
          (then (return (i32.const 0))))
        (local.set $s (global.get $heap_end))
        (global.set $heap_end (i32.add (local.get $s) (i32.shl (local.get $pages) (i32.const 16))))))
    (i32.store (local.get $s) (local.get $kind))
    (i32.store offset=4 (local.get $s) (local.get $pages))
    (i32.store offset=8 (local.get $s) (i32.xor (global.get $MAGIC) (local.get $s)))
    (i32.store offset=16 (local.get $s) (i32.const 0))
    (i32.store offset=20 (local.get $s) (i32.const 0))
    (local.get $s))

  ;; Give class k a fresh page and link all its blocks; 0 when memory is full.
  (func $refill (param $k i32) (result i32)
    (local $s i32) (local $size i32) (local $b i32) (local $head i32)
    (local.set $s (call $span_take (i32.const 1) (i32.const 1)))
    (if (i32.eqz (local.get $s)) (then (return (i32.const 0))))
    (i32.store offset=12 (local.get $s) (local.get $k))
    (memory.fill (i32.add (local.get $s) (i32.const 64)) (i32.const 0) (i32.const 1024))
    (local.set $size (i32.shl (i32.const 8) (local.get $k)))
    (local.set $b (i32.sub (i32.add (local.get $s) (i32.const 0x10000)) (local.get $size)))
    (local.set $b (i32.sub (local.get $b)
      (i32.rem_u (i32.sub (i32.sub (i32.const 0x10000) (i32.const 1088)) (local.get $size))
                 (local.get $size))))
    (local.set $head (i32.load (i32.add (global.get $heap_base) (i32.shl (local.get $k) (i32.const 2)))))
    (block $done
      (loop $link
        (br_if $done (i32.lt_u (local.get $b) (i32.add (local.get $s) (i32.const 1088))))
        (i32.store (local.get $b) (local.get $head))
        (local.set $head (local.get $b))
        (local.set $b (i32.sub (local.get $b) (local.get $size)))
        (br $link)))
    (i32.store (i32.add (global.get $heap_base) (i32.shl (local.get $k) (i32.const 2))) (local.get $head))
    (i32.const 1))

  ;; malloc(0) returns a unique pointer to an 8-byte block.
  (func $malloc (export "malloc") (param $n i32) (result i32)
    (local $k i32) (local $s i32) (local $b i32) (local $bit i32) (local $head i32)
    (if (i32.gt_u (local.get $n) (i32.const 0x7FFFFF00)) (then (return (i32.const 0))))
    (if (i32.eqz (call $prepare)) (then (return (i32.const 0))))
    (if (i32.gt_u (local.get $n) (i32.const 4096))
      (then
        (local.set $s (call $span_take
          (i32.shr_u (i32.add (local.get $n) (i32.const 0x1003F)) (i32.const 16)) (i32.const 2)))
        (if (i32.eqz (local.get $s)) (then (return (i32.const 0))))
        (return (i32.add (local.get $s) (i32.const 64)))))
    (local.set $k (i32.const 0))
    (if (i32.gt_u (local.get $n) (i32.const 8))
      (then (local.set $k (i32.sub (i32.sub (i32.const 32) (i32.clz (i32.sub (local.get $n) (i32.const 1))))
                                   (i32.const 3)))))
    (local.set $head (i32.add (global.get $heap_base) (i32.shl (local.get $k) (i32.const 2))))
    (if (i32.eqz (i32.load (local.get $head)))
      (then (if (i32.eqz (call $refill (local.get $k))) (then (return (i32.const 0))))))
    (local.set $b (i32.load (local.get $head)))
    (i32.store (local.get $head) (i32.load (local.get $b)))
    (local.set $s (i32.and (local.get $b) (i32.const 0xFFFF0000)))
    (local.set $bit (i32.shr_u (i32.sub (local.get $b) (i32.add (local.get $s) (i32.const 1088)))
                               (i32.add (local.get $k) (i32.const 3))))
    (i32.store8 offset=64 (i32.add (local.get $s) (i32.shr_u (local.get $bit) (i32.const 3)))
      (i32.or (i32.load8_u offset=64 (i32.add (local.get $s) (i32.shr_u (local.get $bit) (i32.const 3))))
              (i32.shl (i32.const 1) (i32.and (local.get $bit) (i32.const 7)))))
    (i32.store offset=16 (local.get $s) (i32.add (i32.load offset=16 (local.get $s)) (i32.const 1)))
    (local.get $b))

  ;; The span of payload p (checked live), or a trap; for a class block $bit is set too.
  (global $bit (mut i32) (i32.const 0))
  (func $span_of (param $p i32) (result i32)
    (local $s i32) (local $kind i32) (local $k i32) (local $offset i32)
    (local.set $s (i32.and (local.get $p) (i32.const 0xFFFF0000)))
    (if (i32.or (i32.or (i32.and (local.get $p) (i32.const 7)) (i32.eqz (global.get $heap_start)))
                (i32.or (i32.lt_u (local.get $s) (global.get $heap_start))
                        (i32.ge_u (local.get $p) (global.get $heap_end))))
      (then unreachable))
    (if (i32.ne (i32.load offset=8 (local.get $s)) (i32.xor (global.get $MAGIC) (local.get $s)))
      (then unreachable))
    (local.set $kind (i32.load (local.get $s)))
    (if (i32.eq (local.get $kind) (i32.const 2))
      (then
        (if (i32.ne (local.get $p) (i32.add (local.get $s) (i32.const 64))) (then unreachable))
        (return (local.get $s))))
    (if (i32.ne (local.get $kind) (i32.const 1)) (then unreachable))
    (local.set $k (i32.load offset=12 (local.get $s)))
    (local.set $offset (i32.sub (local.get $p) (i32.add (local.get $s) (i32.const 1088))))
    (if (i32.or (i32.lt_s (local.get $offset) (i32.const 0))
                (i32.and (local.get $offset) (i32.sub (i32.shl (i32.const 8) (local.get $k)) (i32.const 1))))
      (then unreachable))
    (global.set $bit (i32.shr_u (local.get $offset) (i32.add (local.get $k) (i32.const 3))))
    (if (i32.eqz (i32.and (i32.load8_u offset=64 (i32.add (local.get $s) (i32.shr_u (global.get $bit) (i32.const 3))))
                          (i32.shl (i32.const 1) (i32.and (global.get $bit) (i32.const 7)))))
      (then unreachable))
    (local.get $s))

  ;; Blocks keep their size class: realloc always moves a block that must grow.
  (func $resize_in_place (param i32 i32) (result i32) (i32.const 0))

  (func $usable_size (param $p i32) (result i32)
    (local $s i32)
    (local.set $s (call $span_of (local.get $p)))
    (if (i32.eq (i32.load (local.get $s)) (i32.const 2))
      (then (return (i32.sub (i32.shl (i32.load offset=4 (local.get $s)) (i32.const 16)) (i32.const 64)))))
    (i32.shl (i32.const 8) (i32.load offset=12 (local.get $s))))

  ;; free(0) does nothing; a class block goes back to its class, a large block's pages to
  ;; the free span list (merged with a free span right after them).
  (func $free (export "free") (param $p i32)
    (local $s i32) (local $head i32) (local $pages i32) (local $next i32)
    (if (i32.eqz (local.get $p)) (then (return)))
    (local.set $s (call $span_of (local.get $p)))
    (if (i32.eq (i32.load (local.get $s)) (i32.const 2))
      (then
        (local.set $pages (i32.load offset=4 (local.get $s)))
        (local.set $next (i32.add (local.get $s) (i32.shl (local.get $pages) (i32.const 16))))
        (if (i32.lt_u (local.get $next) (global.get $heap_end))
          (then (if (i32.eq (i32.load (local.get $next)) (i32.const 3))
            (then
              (call $span_unlink (local.get $next))
              (local.set $pages (i32.add (local.get $pages) (i32.load offset=4 (local.get $next))))))))
        (call $span_release (local.get $s) (local.get $pages))
        (return)))
    (i32.store8 offset=64 (i32.add (local.get $s) (i32.shr_u (global.get $bit) (i32.const 3)))
      (i32.xor (i32.load8_u offset=64 (i32.add (local.get $s) (i32.shr_u (global.get $bit) (i32.const 3))))
               (i32.shl (i32.const 1) (i32.and (global.get $bit) (i32.const 7)))))
    (i32.store offset=16 (local.get $s) (i32.sub (i32.load offset=16 (local.get $s)) (i32.const 1)))
    (local.set $head (i32.add (global.get $heap_base) (i32.shl (i32.load offset=12 (local.get $s)) (i32.const 2))))
    (i32.store (local.get $p) (i32.load (local.get $head)))
    (i32.store (local.get $head) (local.get $p)))

  ;;@include _common
)
