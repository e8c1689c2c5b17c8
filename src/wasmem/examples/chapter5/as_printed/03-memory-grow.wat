(module
  (memory 1 100)  ;; 初始1页，最大100页
  
  ;; 内存状态监控
  (func $get_memory_size (result i32)
    (memory.size))  ;; 返回当前页数
  
  ;; 增长内存
  (func $grow_memory (param $pages i32) (result i32)
    (local $old_size i32)
    
    ;; 获取增长前的大小
    (local.set $old_size (memory.size))
    
    ;; 尝试增长内存
    (memory.grow (local.get $pages))
    
    ;; memory.grow 返回增长前的页数，失败时返回 -1
    (if (result i32)
      (i32.eq (memory.grow (i32.const 0)) (i32.const -1))
      (then (i32.const 0))  ;; 失败
      (else (i32.const 1))))  ;; 成功
  
  ;; 检查内存是否足够
  (func $ensure_memory (param $required_bytes i32) (result i32)
    (local $current_bytes i32)
    (local $required_pages i32)
    (local $current_pages i32)
    
    ;; 计算当前总字节数
    (local.set $current_pages (memory.size))
    (local.set $current_bytes 
      (i32.mul (local.get $current_pages) (i32.const 65536)))
    
    ;; 检查是否需要增长
    (if (i32.ge_u (local.get $current_bytes) (local.get $required_bytes))
      (then (return (i32.const 1))))  ;; 已经足够
    
    ;; 计算需要的页数
    (local.set $required_pages
      (i32.div_u
        (i32.add (local.get $required_bytes) (i32.const 65535))
        (i32.const 65536)))
    
    ;; 尝试增长到所需大小
    (call $grow_memory
      (i32.sub (local.get $required_pages) (local.get $current_pages))))
  
  (export "get_memory_size" (func $get_memory_size))
  (export "grow_memory" (func $grow_memory))
  (export "ensure_memory" (func $ensure_memory))
  (export "memory" (memory 0)))
