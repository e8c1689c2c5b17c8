;; Listing 5.5.2 (内存池分配器), corrected.
;; Fixes:
;; - init_pool and pool_stats never ended: their exit tests did `br $init_loop` /
;;   `br $count_loop`, which restart the loop. Each loop now sits in a block and
;;   leaves it with br_if, so init_pools returns and pool_stats counts.
;; - pool_free chose the pool from the size it was given; pool_alloc falls back to
;;   a bigger pool when the small one is empty, so a 32-byte block freed with
;;   size 10 went into the 16-byte pool (and that pool later handed out blocks
;;   that overlap). The pool is now found from the pointer's address.
;; - pool_free(0) put address 0 in a free list; it now does nothing. A pointer
;;   that is in no pool, or not at a block boundary, traps, and so does freeing a
;;   block that is already free (it made the free list a cycle, so pool_stats
;;   could never end). pool_stats also stops after the pool's block count.
(module
  (memory 1)

  ;; 固定大小内存池
  (global $pool_16_start i32 (i32.const 0x2000))   ;; 16字节块池 (128 blocks, 2KB)
  (global $pool_32_start i32 (i32.const 0x4000))   ;; 32字节块池 (64 blocks, 2KB)
  (global $pool_64_start i32 (i32.const 0x6000))   ;; 64字节块池 (32 blocks, 2KB)
  (global $pool_bytes i32 (i32.const 2048))        ;; every pool spans 2KB

  (global $pool_16_free_head (mut i32) (i32.const 0))
  (global $pool_32_free_head (mut i32) (i32.const 0))
  (global $pool_64_free_head (mut i32) (i32.const 0))

  ;; 初始化内存池
  (func $init_pools
    ;; 初始化16字节池（128个块 = 2KB）
    (call $init_pool (global.get $pool_16_start) (i32.const 128) (i32.const 16))
    (global.set $pool_16_free_head (global.get $pool_16_start))

    ;; 初始化32字节池（64个块 = 2KB）
    (call $init_pool (global.get $pool_32_start) (i32.const 64) (i32.const 32))
    (global.set $pool_32_free_head (global.get $pool_32_start))

    ;; 初始化64字节池（32个块 = 2KB）
    (call $init_pool (global.get $pool_64_start) (i32.const 32) (i32.const 64))
    (global.set $pool_64_free_head (global.get $pool_64_start)))

  ;; 初始化单个池: link the blocks, each pointing to the next
  (func $init_pool (param $start_addr i32) (param $block_count i32) (param $block_size i32)
    (local $i i32)
    (local $current i32)
    (local $next i32)

    (local.set $current (local.get $start_addr))

    (block $done
      (loop $init_loop
        ;; FIX: leave the block, do not restart the loop
        (br_if $done
          (i32.ge_u (local.get $i) (i32.sub (local.get $block_count) (i32.const 1))))

        ;; 计算下一个块的地址
        (local.set $next (i32.add (local.get $current) (local.get $block_size)))

        ;; 在当前块的开头存储下一个块的地址
        (i32.store (local.get $current) (local.get $next))

        (local.set $current (local.get $next))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $init_loop)))

    ;; 最后一个块指向NULL
    (i32.store (local.get $current) (i32.const 0)))

  ;; 池分配: the smallest pool that fits and has a free block; 0 if none
  (func $pool_alloc (param $size i32) (result i32)
    (local $ptr i32)

    ;; 根据大小选择合适的池
    (if (i32.le_u (local.get $size) (i32.const 16))
      (then
        (local.set $ptr (global.get $pool_16_free_head))
        (if (local.get $ptr)
          (then
            (global.set $pool_16_free_head (i32.load (local.get $ptr)))
            (return (local.get $ptr))))))

    (if (i32.le_u (local.get $size) (i32.const 32))
      (then
        (local.set $ptr (global.get $pool_32_free_head))
        (if (local.get $ptr)
          (then
            (global.set $pool_32_free_head (i32.load (local.get $ptr)))
            (return (local.get $ptr))))))

    (if (i32.le_u (local.get $size) (i32.const 64))
      (then
        (local.set $ptr (global.get $pool_64_free_head))
        (if (local.get $ptr)
          (then
            (global.set $pool_64_free_head (i32.load (local.get $ptr)))
            (return (local.get $ptr))))))

    ;; 如果所有池都满了，返回NULL
    i32.const 0)

  ;; is $ptr a block of the pool at $start with blocks of $block_size bytes?
  (func $in_pool (param $ptr i32) (param $start i32) (param $block_size i32) (result i32)
    (i32.and
      (i32.lt_u (i32.sub (local.get $ptr) (local.get $start)) (global.get $pool_bytes))
      (i32.eqz (i32.and (i32.sub (local.get $ptr) (local.get $start))
                        (i32.sub (local.get $block_size) (i32.const 1))))))

  ;; is $ptr already in the free list that starts at $current? (at most 128 steps)
  (func $in_list (param $ptr i32) (param $current i32) (result i32)
    (local $steps i32)
    (block $done
      (loop $walk
        (br_if $done (i32.eqz (local.get $current)))
        (br_if $done (i32.ge_u (local.get $steps) (i32.const 128)))
        (if (i32.eq (local.get $current) (local.get $ptr)) (then (return (i32.const 1))))
        (local.set $current (i32.load (local.get $current)))
        (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
        (br $walk)))
    (i32.const 0))

  ;; 池释放: $size is kept for compatibility; the pool is found from $ptr (FIX)
  (func $pool_free (param $ptr i32) (param $size i32)
    (if (i32.eqz (local.get $ptr)) (then (return)))

    (if (call $in_pool (local.get $ptr) (global.get $pool_16_start) (i32.const 16))
      (then
        (if (call $in_list (local.get $ptr) (global.get $pool_16_free_head))
          (then unreachable))  ;; double free
        (i32.store (local.get $ptr) (global.get $pool_16_free_head))
        (global.set $pool_16_free_head (local.get $ptr))
        (return)))

    (if (call $in_pool (local.get $ptr) (global.get $pool_32_start) (i32.const 32))
      (then
        (if (call $in_list (local.get $ptr) (global.get $pool_32_free_head))
          (then unreachable))  ;; double free
        (i32.store (local.get $ptr) (global.get $pool_32_free_head))
        (global.set $pool_32_free_head (local.get $ptr))
        (return)))

    (if (call $in_pool (local.get $ptr) (global.get $pool_64_start) (i32.const 64))
      (then
        (if (call $in_list (local.get $ptr) (global.get $pool_64_free_head))
          (then unreachable))  ;; double free
        (i32.store (local.get $ptr) (global.get $pool_64_free_head))
        (global.set $pool_64_free_head (local.get $ptr))
        (return)))

    ;; not a block of any pool
    unreachable)

  ;; 获取池状态: free blocks in the pool of $pool_size (16, 32 or 64) bytes
  (func $pool_stats (param $pool_size i32) (result i32)
    (local $free_count i32)
    (local $current i32)
    (local $capacity i32)

    ;; 根据池大小选择对应的空闲链表头 (and the pool's block count)
    (if (i32.eq (local.get $pool_size) (i32.const 16))
      (then (local.set $current (global.get $pool_16_free_head))
            (local.set $capacity (i32.const 128))))
    (if (i32.eq (local.get $pool_size) (i32.const 32))
      (then (local.set $current (global.get $pool_32_free_head))
            (local.set $capacity (i32.const 64))))
    (if (i32.eq (local.get $pool_size) (i32.const 64))
      (then (local.set $current (global.get $pool_64_free_head))
            (local.set $capacity (i32.const 32))))

    ;; 计算空闲块数量
    (block $done
      (loop $count_loop
        (br_if $done (i32.eqz (local.get $current)))  ;; FIX: leave at the end of the list
        ;; a list longer than the pool is corrupt: stop anyway
        (br_if $done (i32.ge_u (local.get $free_count) (local.get $capacity)))

        (local.set $free_count (i32.add (local.get $free_count) (i32.const 1)))
        (local.set $current (i32.load (local.get $current)))
        (br $count_loop)))

    local.get $free_count)

  (export "init_pools" (func $init_pools))
  (export "pool_alloc" (func $pool_alloc))
  (export "pool_free" (func $pool_free))
  (export "pool_stats" (func $pool_stats))
  ;; for inspection (wasmem.alloc.pools walks the free lists from these)
  (export "pool_16_free_head" (global $pool_16_free_head))
  (export "pool_32_free_head" (global $pool_32_free_head))
  (export "pool_64_free_head" (global $pool_64_free_head))
  (export "memory" (memory 0)))
