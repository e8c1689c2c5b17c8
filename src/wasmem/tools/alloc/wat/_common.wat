  ;; ---- shared by every allocator (spliced in by wasmem.tools.alloc.load) ----
  ;; Needs: $malloc, $free, $usable_size (traps on a pointer it does not own) and
  ;; $resize_in_place (grow a live block to n bytes without moving it; 0 when it cannot).

  ;; Make linear memory at least $end bytes long; 1 on success, 0 when memory.grow fails.
  (func $grow_to (param $end i64) (result i32)
    (local $have i64)
    (local.set $have (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
    (if (i64.le_u (local.get $end) (local.get $have)) (then (return (i32.const 1))))
    (if (i64.gt_u (local.get $end) (i64.const 0x100000000)) (then (return (i32.const 0))))
    (i32.ne
      (memory.grow (i32.wrap_i64 (i64.shr_u
        (i64.add (i64.sub (local.get $end) (local.get $have)) (i64.const 0xFFFF))
        (i64.const 16))))
      (i32.const -1)))

  ;; The end of linear memory, capped to the largest 8-aligned i32 address.
  (func $memory_end (result i32)
    (if (i32.ge_u (memory.size) (i32.const 0x10000)) (then (return (i32.const 0xFFFFFFF8))))
    (i32.shl (memory.size) (i32.const 16)))

  ;; realloc(0, n) = malloc(n); realloc(p, 0) frees p and returns 0; a block already large
  ;; enough is kept, one that can grow where it is ($resize_in_place) grows; otherwise the
  ;; prefix is copied into a new block (p is kept on failure).
  (func $realloc (export "realloc") (param $p i32) (param $n i32) (result i32)
    (local $old i32) (local $q i32)
    (if (i32.eqz (local.get $p)) (then (return (call $malloc (local.get $n)))))
    (local.set $old (call $usable_size (local.get $p)))
    (if (i32.eqz (local.get $n)) (then (call $free (local.get $p)) (return (i32.const 0))))
    (if (i32.ge_u (local.get $old) (local.get $n)) (then (return (local.get $p))))
    (if (call $resize_in_place (local.get $p) (local.get $n)) (then (return (local.get $p))))
    (local.set $q (call $malloc (local.get $n)))
    (if (i32.eqz (local.get $q)) (then (return (i32.const 0))))
    (memory.copy (local.get $q) (local.get $p) (local.get $old))
    (call $free (local.get $p))
    (local.get $q))

  ;; calloc: 0 when n * size overflows 32 bits; the block is zeroed.
  (func $calloc (export "calloc") (param $n i32) (param $size i32) (result i32)
    (local $total i64) (local $p i32)
    (local.set $total (i64.mul (i64.extend_i32_u (local.get $n)) (i64.extend_i32_u (local.get $size))))
    (if (i64.gt_u (local.get $total) (i64.const 0xFFFFFFFF)) (then (return (i32.const 0))))
    (local.set $p (call $malloc (i32.wrap_i64 (local.get $total))))
    (if (local.get $p)
      (then (memory.fill (local.get $p) (i32.const 0) (i32.wrap_i64 (local.get $total)))))
    (local.get $p))

  (func (export "malloc_usable_size") (param $p i32) (result i32)
    (if (i32.eqz (local.get $p)) (then (return (i32.const 0))))
    (call $usable_size (local.get $p)))
