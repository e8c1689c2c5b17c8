;; Listing 5.5.1 (简单的内存分配器), corrected: a first-fit free-list allocator.
;; Fixes:
;; - heap_alloc did not validate: after its loop nothing was left for the i32
;;   result ("type mismatch"). The loop now sits in a block that it leaves when
;;   the list ends, and the function returns 0 after it.
;; - The size was rounded with (size + 15) & ~7, eight bytes too many; it is now
;;   (size + 7) & ~7, plus the 8-byte header.
;; - A block that was handed out stayed in the free list (the next heap_alloc
;;   could return it again); it is now unlinked and marked as used.
;; - heap_free cut the free list (it set the block's next to 0, dropping every
;;   other free block). It now inserts the block in address order and merges it
;;   with the free blocks just before and after it (real coalescing), so freeing
;;   everything gives back one block of the whole heap. Freeing 0 does nothing;
;;   freeing a block twice, or a pointer that malloc did not return, traps.
;; - heap_stats never ended: its exit test was `br $count_blocks` (which restarts
;;   the loop), and the end of the list (next = 0) became heap_start again. The
;;   list now ends at 0 and the loop leaves its block with br_if.
;;
;; 内存块头结构（8字节）
;; [0-3]: 块大小 (whole block, header included; a multiple of 8). Bit 0 = in use.
;; [4-7]: next free block: its address, 0 for the last one (free blocks only).
;; The free list is kept in address order, which makes merging neighbours easy.
(module
  (memory 1)

  (global $heap_start i32 (i32.const 0x1000))
  (global $heap_end i32 (i32.const 0xF000))
  ;; first free block (0: none, or init_heap not called yet)
  (global $free_list (mut i32) (i32.const 0))

  ;; 初始化堆: one free block covering the whole heap (also resets it)
  (func $init_heap
    (i32.store (global.get $heap_start)
      (i32.sub (global.get $heap_end) (global.get $heap_start)))
    (i32.store (i32.add (global.get $heap_start) (i32.const 4))
      (i32.const 0))
    (global.set $free_list (global.get $heap_start)))

  ;; 分配内存: a pointer to at least $size bytes (8-aligned), or 0 if none is free
  (func $heap_alloc (param $size i32) (result i32)
    (local $previous i32)
    (local $current i32)
    (local $needed i32)

    ;; larger than the whole heap: fail now (also keeps the rounding from wrapping)
    (if (i32.gt_u (local.get $size)
                  (i32.sub (i32.sub (global.get $heap_end) (global.get $heap_start))
                           (i32.const 8)))
      (then (return (i32.const 0))))
    (if (i32.eqz (local.get $size)) (then (local.set $size (i32.const 1))))

    ;; 对齐到8字节边界, plus the 8-byte header
    (local.set $needed
      (i32.add
        (i32.and (i32.add (local.get $size) (i32.const 7)) (i32.const 0xFFFFFFF8))
        (i32.const 8)))

    (local.set $current (global.get $free_list))

    ;; 遍历空闲块链表 (first fit)
    (block $not_found
      (loop $find_block
        (br_if $not_found (i32.eqz (local.get $current)))

        ;; 如果块足够大
        (if (i32.ge_u (i32.load (local.get $current)) (local.get $needed))
          (then
            ;; 分割块 (the rest, if big enough, becomes the next free block)
            (call $split_block (local.get $current) (local.get $needed))
            ;; unlink the block from the free list
            (if (i32.eqz (local.get $previous))
              (then (global.set $free_list
                      (i32.load offset=4 (local.get $current))))
              (else (i32.store offset=4 (local.get $previous)
                      (i32.load offset=4 (local.get $current)))))
            ;; mark it as used (and clear its stale link)
            (i32.store (local.get $current)
              (i32.or (i32.load (local.get $current)) (i32.const 1)))
            (i32.store offset=4 (local.get $current) (i32.const 0))
            ;; 返回数据指针（跳过头部）
            (return (i32.add (local.get $current) (i32.const 8)))))

        ;; 移动到下一块
        (local.set $previous (local.get $current))
        (local.set $current (i32.load offset=4 (local.get $current)))
        (br $find_block)))

    ;; 没有找到合适的块
    (i32.const 0))

  ;; 分割内存块: keep $size bytes in $block; the rest (if >= 16 bytes) becomes a
  ;; free block linked right after it
  (func $split_block (param $block i32) (param $size i32)
    (local $remaining_size i32)
    (local $new_block i32)

    (local.set $remaining_size
      (i32.sub (i32.load (local.get $block)) (local.get $size)))

    ;; 如果剩余大小足够创建新块 (header + 8 bytes)
    (if (i32.ge_u (local.get $remaining_size) (i32.const 16))
      (then
        ;; 更新当前块大小
        (i32.store (local.get $block) (local.get $size))

        ;; 创建新的空闲块
        (local.set $new_block (i32.add (local.get $block) (local.get $size)))
        (i32.store (local.get $new_block) (local.get $remaining_size))
        (i32.store offset=4 (local.get $new_block)
          (i32.load offset=4 (local.get $block)))

        ;; 更新链接
        (i32.store offset=4 (local.get $block) (local.get $new_block)))))

  ;; 释放内存
  (func $heap_free (param $ptr i32)
    (local $block i32)
    (local $size i32)
    (local $previous i32)
    (local $next i32)

    (if (i32.eqz (local.get $ptr)) (then (return)))

    ;; 获取块头地址
    (local.set $block (i32.sub (local.get $ptr) (i32.const 8)))

    ;; a pointer heap_alloc cannot have returned, or a block that is not in use
    (if (i32.or
          (i32.or
            (i32.lt_u (local.get $ptr) (i32.add (global.get $heap_start) (i32.const 8)))
            (i32.ge_u (local.get $ptr) (global.get $heap_end)))
          (i32.and (local.get $ptr) (i32.const 7)))
      (then unreachable))
    (local.set $size (i32.load (local.get $block)))
    (if (i32.eqz (i32.and (local.get $size) (i32.const 1)))
      (then unreachable))  ;; double free
    (local.set $size (i32.and (local.get $size) (i32.const 0xFFFFFFFE)))

    ;; find the free blocks just before and just after $block
    (local.set $next (global.get $free_list))
    (block $found
      (loop $walk
        (br_if $found (i32.eqz (local.get $next)))
        (br_if $found (i32.gt_u (local.get $next) (local.get $block)))
        (local.set $previous (local.get $next))
        (local.set $next (i32.load offset=4 (local.get $next)))
        (br $walk)))

    ;; 块合并: with the next block, if they touch
    (if (i32.and
          (i32.ne (local.get $next) (i32.const 0))
          (i32.eq (i32.add (local.get $block) (local.get $size)) (local.get $next)))
      (then
        (local.set $size (i32.add (local.get $size) (i32.load (local.get $next))))
        (local.set $next (i32.load offset=4 (local.get $next)))))
    (i32.store (local.get $block) (local.get $size))
    (i32.store offset=4 (local.get $block) (local.get $next))

    ;; 块合并: with the previous block, if they touch; else link $block after it
    (if (i32.eqz (local.get $previous))
      (then (global.set $free_list (local.get $block)))
      (else
        (if (i32.eq (i32.add (local.get $previous) (i32.load (local.get $previous)))
                    (local.get $block))
          (then
            (i32.store (local.get $previous)
              (i32.add (i32.load (local.get $previous)) (local.get $size)))
            (i32.store offset=4 (local.get $previous) (local.get $next)))
          (else
            (i32.store offset=4 (local.get $previous) (local.get $block)))))))

  ;; 获取堆统计信息: total free bytes (headers included) and number of free blocks
  (func $heap_stats (param $total_size_ptr i32) (param $free_blocks_ptr i32)
    (local $current i32)
    (local $total_free i32)
    (local $block_count i32)

    (local.set $current (global.get $free_list))

    (block $done
      (loop $count_blocks
        (br_if $done (i32.eqz (local.get $current)))  ;; FIX: leave at the end of the list

        (local.set $total_free
          (i32.add (local.get $total_free) (i32.load (local.get $current))))
        (local.set $block_count (i32.add (local.get $block_count) (i32.const 1)))

        (local.set $current (i32.load offset=4 (local.get $current)))
        (br $count_blocks)))

    (i32.store (local.get $total_size_ptr) (local.get $total_free))
    (i32.store (local.get $free_blocks_ptr) (local.get $block_count)))

  (export "init_heap" (func $init_heap))
  (export "heap_alloc" (func $heap_alloc))
  (export "heap_free" (func $heap_free))
  (export "heap_stats" (func $heap_stats))
  ;; for inspection (wasmem.alloc.freelist walks the heap from it)
  (export "free_list" (global $free_list))
  (export "memory" (memory 0)))
