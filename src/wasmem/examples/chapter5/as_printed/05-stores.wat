(module
  (memory 1)
  
  (func $store_operations (param $addr i32) (param $value i32)
    ;; 8位存储
    (i32.store8 (local.get $addr) (local.get $value))
    
    ;; 16位存储
    (i32.store16 (local.get $addr) (local.get $value))
    
    ;; 32位存储
    (i32.store (local.get $addr) (local.get $value)))
  
  ;; 批量数据复制
  (func $memory_copy (param $dest i32) (param $src i32) (param $size i32)
    (local $i i32)
    
    (local.set $i (i32.const 0))
    
    (loop $copy_loop
      ;; 检查是否完成
      (if (i32.ge_u (local.get $i) (local.get $size))
        (then (br $copy_loop)))
      
      ;; 复制一个字节
      (i32.store8
        (i32.add (local.get $dest) (local.get $i))
        (i32.load8_u
          (i32.add (local.get $src) (local.get $i))))
      
      ;; 递增计数器
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      
      (br $copy_loop)))
  
  ;; 内存填充
  (func $memory_fill (param $addr i32) (param $value i32) (param $size i32)
    (local $i i32)
    
    (local.set $i (i32.const 0))
    
    (loop $fill_loop
      (if (i32.ge_u (local.get $i) (local.get $size))
        (then (br $fill_loop)))
      
      (i32.store8
        (i32.add (local.get $addr) (local.get $i))
        (local.get $value))
      
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      
      (br $fill_loop)))
  
  (export "store_operations" (func $store_operations))
  (export "memory_copy" (func $memory_copy))
  (export "memory_fill" (func $memory_fill))
  (export "memory" (memory 0)))
