(module
  (memory 1)
  
  ;; 固定大小内存池
  (global $pool_16_start i32 (i32.const 0x2000))   ;; 16字节块池
  (global $pool_32_start i32 (i32.const 0x4000))   ;; 32字节块池
  (global $pool_64_start i32 (i32.const 0x6000))   ;; 64字节块池
  
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
  
  ;; 初始化单个池
  (func $init_pool (param $start_addr i32) (param $block_count i32) (param $block_size i32)
    (local $i i32)
    (local $current i32)
    (local $next i32)
    
    (local.set $current (local.get $start_addr))
    
    (loop $init_loop
      (if (i32.ge_u (local.get $i) (i32.sub (local.get $block_count) (i32.const 1)))
        (then (br $init_loop)))
      
      ;; 计算下一个块的地址
      (local.set $next (i32.add (local.get $current) (local.get $block_size)))
      
      ;; 在当前块的开头存储下一个块的地址
      (i32.store (local.get $current) (local.get $next))
      
      (local.set $current (local.get $next))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $init_loop))
    
    ;; 最后一个块指向NULL
    (i32.store (local.get $current) (i32.const 0)))
  
  ;; 池分配
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
  
  ;; 池释放
  (func $pool_free (param $ptr i32) (param $size i32)
    ;; 根据大小确定池类型
    (if (i32.le_u (local.get $size) (i32.const 16))
      (then
        (i32.store (local.get $ptr) (global.get $pool_16_free_head))
        (global.set $pool_16_free_head (local.get $ptr))
        (return)))
    
    (if (i32.le_u (local.get $size) (i32.const 32))
      (then
        (i32.store (local.get $ptr) (global.get $pool_32_free_head))
        (global.set $pool_32_free_head (local.get $ptr))
        (return)))
    
    (if (i32.le_u (local.get $size) (i32.const 64))
      (then
        (i32.store (local.get $ptr) (global.get $pool_64_free_head))
        (global.set $pool_64_free_head (local.get $ptr)))))
  
  ;; 获取池状态
  (func $pool_stats (param $pool_size i32) (result i32)
    (local $free_count i32)
    (local $current i32)
    
    ;; 根据池大小选择对应的空闲链表头
    (if (i32.eq (local.get $pool_size) (i32.const 16))
      (then (local.set $current (global.get $pool_16_free_head))))
    (if (i32.eq (local.get $pool_size) (i32.const 32))
      (then (local.set $current (global.get $pool_32_free_head))))
    (if (i32.eq (local.get $pool_size) (i32.const 64))
      (then (local.set $current (global.get $pool_64_free_head))))
    
    ;; 计算空闲块数量
    (loop $count_loop
      (if (i32.eqz (local.get $current))
        (then (br $count_loop)))
      
      (local.set $free_count (i32.add (local.get $free_count) (i32.const 1)))
      (local.set $current (i32.load (local.get $current)))
      (br $count_loop))
    
    local.get $free_count)
  
  (export "init_pools" (func $init_pools))
  (export "pool_alloc" (func $pool_alloc))
  (export "pool_free" (func $pool_free))
  (export "pool_stats" (func $pool_stats))
  (export "memory" (memory 0)))
