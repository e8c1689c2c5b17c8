(module
  (memory 1)
  
  ;; 内存块头结构（8字节）
  ;; [0-3]: 块大小
  ;; [4-7]: 下一个块的偏移（0表示最后一个块）
  
  (global $heap_start i32 (i32.const 0x1000))
  (global $heap_end i32 (i32.const 0xF000))
  
  ;; 初始化堆
  (func $init_heap
    ;; 创建初始空闲块
    (i32.store (global.get $heap_start) 
      (i32.sub (global.get $heap_end) (global.get $heap_start)))
    (i32.store (i32.add (global.get $heap_start) (i32.const 4)) 
      (i32.const 0)))
  
  ;; 分配内存
  (func $heap_alloc (param $size i32) (result i32)
    (local $current i32)
    (local $block_size i32)
    (local $next_offset i32)
    (local $aligned_size i32)
    
    ;; 对齐到8字节边界
    (local.set $aligned_size
      (i32.and
        (i32.add (local.get $size) (i32.const 15))
        (i32.const 0xFFFFFFF8)))
    
    (local.set $current (global.get $heap_start))
    
    ;; 遍历空闲块链表
    (loop $find_block
      ;; 检查当前块
      (local.set $block_size (i32.load (local.get $current)))
      (local.set $next_offset (i32.load (i32.add (local.get $current) (i32.const 4))))
      
      ;; 如果块足够大
      (if (i32.ge_u (local.get $block_size) 
                    (i32.add (local.get $aligned_size) (i32.const 8)))
        (then
          ;; 分割块
          (call $split_block (local.get $current) (local.get $aligned_size))
          ;; 返回数据指针（跳过头部）
          (return (i32.add (local.get $current) (i32.const 8)))))
      
      ;; 移动到下一块
      (if (i32.eqz (local.get $next_offset))
        (then (return (i32.const 0))))  ;; 没有找到合适的块
      
      (local.set $current (i32.add (global.get $heap_start) (local.get $next_offset)))
      (br $find_block)))
  
  ;; 分割内存块
  (func $split_block (param $block i32) (param $size i32)
    (local $block_size i32)
    (local $remaining_size i32)
    (local $new_block i32)
    
    (local.set $block_size (i32.load (local.get $block)))
    (local.set $remaining_size 
      (i32.sub (local.get $block_size) (i32.add (local.get $size) (i32.const 8))))
    
    ;; 如果剩余大小足够创建新块
    (if (i32.gt_u (local.get $remaining_size) (i32.const 16))
      (then
        ;; 更新当前块大小
        (i32.store (local.get $block) (i32.add (local.get $size) (i32.const 8)))
        
        ;; 创建新的空闲块
        (local.set $new_block 
          (i32.add (local.get $block) (i32.add (local.get $size) (i32.const 8))))
        
        (i32.store (local.get $new_block) (local.get $remaining_size))
        (i32.store (i32.add (local.get $new_block) (i32.const 4))
          (i32.load (i32.add (local.get $block) (i32.const 4))))
        
        ;; 更新链接
        (i32.store (i32.add (local.get $block) (i32.const 4))
          (i32.sub (local.get $new_block) (global.get $heap_start))))))
  
  ;; 释放内存
  (func $heap_free (param $ptr i32)
    (local $block i32)
    
    ;; 获取块头地址
    (local.set $block (i32.sub (local.get $ptr) (i32.const 8)))
    
    ;; 简化版：直接添加到空闲链表头部
    (i32.store (i32.add (local.get $block) (i32.const 4))
      (i32.sub (global.get $heap_start) (global.get $heap_start)))
    
    ;; 这里应该实现块合并逻辑，但为简化省略
    )
  
  ;; 获取堆统计信息
  (func $heap_stats (param $total_size_ptr i32) (param $free_blocks_ptr i32)
    (local $current i32)
    (local $total_free i32)
    (local $block_count i32)
    
    (local.set $current (global.get $heap_start))
    
    (loop $count_blocks
      (if (i32.eqz (local.get $current))
        (then (br $count_blocks)))
      
      (local.set $total_free 
        (i32.add (local.get $total_free) (i32.load (local.get $current))))
      (local.set $block_count (i32.add (local.get $block_count) (i32.const 1)))
      
      (local.set $current 
        (i32.add (global.get $heap_start) 
          (i32.load (i32.add (local.get $current) (i32.const 4)))))
      
      (br $count_blocks))
    
    (i32.store (local.get $total_size_ptr) (local.get $total_free))
    (i32.store (local.get $free_blocks_ptr) (local.get $block_count)))
  
  (export "init_heap" (func $init_heap))
  (export "heap_alloc" (func $heap_alloc))
  (export "heap_free" (func $heap_free))
  (export "heap_stats" (func $heap_stats))
  (export "memory" (memory 0)))
