;; tlsf: two-level segregated fit (wasmem.tools.alloc), O(1) malloc and free.
;; Blocks are the boundary-tag blocks of freelist. Free blocks sit in one of 25 x 16 lists:
;; sizes below 256 in 16-byte classes (first level 0), larger sizes by their highest bit
;; (first level = log2(size) - 7) split into 16 equal second-level ranges. One bit per
;; first level in $fl_bitmap and one bit per list in each second-level bitmap say which
;; lists are non-empty, so finding a fitting list is two count-trailing-zeros.
;; Control block at heap_base (zeroed on the first malloc):
;;   heap_base + 4*fl            second-level bitmap of first level fl (25 words)
;;   heap_base + 128 + 4*index   head of list index = 16*fl + sl (400 words)
;; Blocks follow from heap_start = heap_base + 1728.
(module
  (memory (export "memory") 1)
  (global $heap_base (export "heap_base") i32 (i32.const 1024 (;heap_base;)))
  (global $heap_start (export "heap_start") (mut i32) (i32.const 0))
  (global $heap_end (export "heap_end") (mut i32) (i32.const 0))
  (global $fl_bitmap (export "fl_bitmap") (mut i32) (i32.const 0))
  (global (export "__wasmem_allocator") i32 (i32.const 6))

  (func $prepare (result i32)
    (local $start i32)
    (if (global.get $heap_start) (then (return (i32.const 1))))
    (local.set $start (i32.add (global.get $heap_base) (i32.const 1728)))
    (if (i32.eqz (call $grow_to (i64.extend_i32_u (local.get $start))))
      (then (return (i32.const 0))))
    (memory.fill (global.get $heap_base) (i32.const 0) (i32.const 1728))
    (global.set $heap_start (local.get $start))
    (global.set $heap_end (local.get $start))
    (i32.const 1))

  ;; The list index 16*fl + sl of a block size.
  (func $class (param $size i32) (result i32)
    (local $log i32)
    (if (i32.lt_u (local.get $size) (i32.const 256))
      (then (return (i32.shr_u (local.get $size) (i32.const 4)))))
    (local.set $log (i32.sub (i32.const 31) (i32.clz (local.get $size))))
    (i32.add (i32.shl (i32.sub (local.get $log) (i32.const 7)) (i32.const 4))
             (i32.and (i32.shr_u (local.get $size) (i32.sub (local.get $log) (i32.const 4)))
                      (i32.const 15))))

  (func $head_address (param $index i32) (result i32)
    (i32.add (i32.add (global.get $heap_base) (i32.const 128))
             (i32.shl (local.get $index) (i32.const 2))))

  (func $bitmap_address (param $fl i32) (result i32)
    (i32.add (global.get $heap_base) (i32.shl (local.get $fl) (i32.const 2))))

  (func $list_insert (param $b i32)
    (local $index i32) (local $head i32) (local $fl i32)
    (local.set $index (call $class (i32.load (local.get $b))))
    (local.set $head (i32.load (call $head_address (local.get $index))))
    (i32.store offset=8 (local.get $b) (local.get $head))
    (i32.store offset=12 (local.get $b) (i32.const 0))
    (if (local.get $head) (then (i32.store offset=12 (local.get $head) (local.get $b))))
    (i32.store (call $head_address (local.get $index)) (local.get $b))
    (local.set $fl (i32.shr_u (local.get $index) (i32.const 4)))
    (i32.store (call $bitmap_address (local.get $fl))
      (i32.or (i32.load (call $bitmap_address (local.get $fl)))
              (i32.shl (i32.const 1) (i32.and (local.get $index) (i32.const 15)))))
    (global.set $fl_bitmap (i32.or (global.get $fl_bitmap)
                                   (i32.shl (i32.const 1) (local.get $fl)))))

  (func $list_remove (param $b i32)
    (local $index i32) (local $next i32) (local $prev i32) (local $fl i32) (local $map i32)
    (local.set $index (call $class (i32.load (local.get $b))))
    (local.set $next (i32.load offset=8 (local.get $b)))
    (local.set $prev (i32.load offset=12 (local.get $b)))
    (if (local.get $next) (then (i32.store offset=12 (local.get $next) (local.get $prev))))
    (if (local.get $prev)
      (then (i32.store offset=8 (local.get $prev) (local.get $next)) (return)))
    (i32.store (call $head_address (local.get $index)) (local.get $next))
    (if (local.get $next) (then (return)))
    (local.set $fl (i32.shr_u (local.get $index) (i32.const 4)))
    (local.set $map (i32.and (i32.load (call $bitmap_address (local.get $fl)))
      (i32.xor (i32.shl (i32.const 1) (i32.and (local.get $index) (i32.const 15)))
               (i32.const -1))))
    (i32.store (call $bitmap_address (local.get $fl)) (local.get $map))
    (if (i32.eqz (local.get $map))
      (then (global.set $fl_bitmap (i32.and (global.get $fl_bitmap)
        (i32.xor (i32.shl (i32.const 1) (local.get $fl)) (i32.const -1)))))))

  ;; The head of the first non-empty list whose every block holds need bytes; 0 if none.
  (func $list_find (param $need i32) (result i32)
    (local $index i32) (local $fl i32) (local $map i32)
    (if (i32.lt_u (local.get $need) (i32.const 256))
      (then (local.set $need (i32.add (local.get $need) (i32.const 15))))
      (else (local.set $need (i32.add (local.get $need)
        (i32.sub (i32.shl (i32.const 1)
                   (i32.sub (i32.const 27) (i32.clz (local.get $need))))
                 (i32.const 1))))))
    (local.set $index (call $class (local.get $need)))
    (local.set $fl (i32.shr_u (local.get $index) (i32.const 4)))
    (local.set $map (i32.and (i32.load (call $bitmap_address (local.get $fl)))
                             (i32.shl (i32.const -1) (i32.and (local.get $index) (i32.const 15)))))
    (if (i32.eqz (local.get $map))
      (then
        (local.set $map (i32.and (global.get $fl_bitmap)
                                 (i32.shl (i32.const -1) (i32.add (local.get $fl) (i32.const 1)))))
        (if (i32.eqz (local.get $map)) (then (return (i32.const 0))))
        (local.set $fl (i32.ctz (local.get $map)))
        (local.set $map (i32.load (call $bitmap_address (local.get $fl))))))
    (i32.load (call $head_address
      (i32.add (i32.shl (local.get $fl) (i32.const 4)) (i32.ctz (local.get $map))))))

  ;;@include _tags
  ;;@include _common
)
