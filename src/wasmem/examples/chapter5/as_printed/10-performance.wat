(module
  (memory 1)
  
  ;; 缓存友好的数据访问
  (func $cache_friendly_sum (param $array_ptr i32) (param $length i32) (result i32)
    (local $sum i32)
    (local $i i32)
    
    ;; 顺序访问，利用缓存局部性
    (loop $sum_loop
      (if (i32.ge_u (local.get $i) (local.get $length))
        (then (br $sum_loop)))
      
      (local.set $sum
        (i32.add 
          (local.get $sum)
          (i32.load 
            (i32.add 
              (local.get $array_ptr)
              (i32.mul (local.get $i) (i32.const 4))))))
      
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sum_loop))
    
    local.get $sum)
  
  ;; 批量操作优化：一次处理多个元素
  (func $vectorized_add (param $a_ptr i32) (param $b_ptr i32) (param $result_ptr i32) (param $length i32)
    (local $i i32)
    (local $end i32)
    
    ;; 计算向量化结束位置（4的倍数）
    (local.set $end 
      (i32.and (local.get $length) (i32.const 0xFFFFFFFC)))
    
    ;; 向量化循环：一次处理4个元素
    (loop $vector_loop
      (if (i32.ge_u (local.get $i) (local.get $end))
        (then (br $vector_loop)))
      
      ;; 处理4个连续的32位整数
      (i32.store
        (i32.add (local.get $result_ptr) (i32.mul (local.get $i) (i32.const 4)))
        (i32.add
          (i32.load (i32.add (local.get $a_ptr) (i32.mul (local.get $i) (i32.const 4))))
          (i32.load (i32.add (local.get $b_ptr) (i32.mul (local.get $i) (i32.const 4))))))
      
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $vector_loop))
    
    ;; 处理剩余元素
    (loop $remainder_loop
      (if (i32.ge_u (local.get $i) (local.get $length))
        (then (br $remainder_loop)))
      
      (i32.store
        (i32.add (local.get $result_ptr) (i32.mul (local.get $i) (i32.const 4)))
        (i32.add
          (i32.load (i32.add (local.get $a_ptr) (i32.mul (local.get $i) (i32.const 4))))
          (i32.load (i32.add (local.get $b_ptr) (i32.mul (local.get $i) (i32.const 4))))))
      
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $remainder_loop)))
  
  ;; 内存预取模拟（通过提前访问实现）
  (func $prefetch_demo (param $data_ptr i32) (param $length i32) (result i32)
    (local $sum i32)
    (local $i i32)
    (local $prefetch_distance i32)
    
    (local.set $prefetch_distance (i32.const 64))  ;; 提前64个元素
    
    (loop $prefetch_loop
      (if (i32.ge_u (local.get $i) (local.get $length))
        (then (br $prefetch_loop)))
      
      ;; 预取未来的数据
      (if (i32.lt_u 
            (i32.add (local.get $i) (local.get $prefetch_distance))
            (local.get $length))
        (then
          (i32.load  ;; 触发缓存加载
            (i32.add 
              (local.get $data_ptr)
              (i32.mul 
                (i32.add (local.get $i) (local.get $prefetch_distance))
                (i32.const 4))))
          drop))
      
      ;; 处理当前数据
      (local.set $sum
        (i32.add 
          (local.get $sum)
          (i32.load 
            (i32.add 
              (local.get $data_ptr)
              (i32.mul (local.get $i) (i32.const 4))))))
      
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $prefetch_loop))
    
    local.get $sum)
  
  (export "cache_friendly_sum" (func $cache_friendly_sum))
  (export "vectorized_add" (func $vectorized_add))
  (export "prefetch_demo" (func $prefetch_demo))
  (export "memory" (memory 0)))
