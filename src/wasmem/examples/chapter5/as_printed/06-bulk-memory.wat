(module
  (memory 1)
  
  ;; 使用 memory.copy 批量复制（需要 bulk-memory 提案）
  (func $fast_memory_copy (param $dest i32) (param $src i32) (param $size i32)
    (memory.copy 
      (local.get $dest) 
      (local.get $src) 
      (local.get $size)))
  
  ;; 使用 memory.fill 批量填充
  (func $fast_memory_fill (param $addr i32) (param $value i32) (param $size i32)
    (memory.fill 
      (local.get $addr) 
      (local.get $value) 
      (local.get $size)))
  
  ;; 初始化内存段
  (func $init_data_segment (param $dest i32) (param $segment_index i32) (param $size i32)
    (memory.init $segment_index
      (local.get $dest)
      (i32.const 0)
      (local.get $size)))
  
  (export "fast_memory_copy" (func $fast_memory_copy))
  (export "fast_memory_fill" (func $fast_memory_fill))
  (export "init_data_segment" (func $init_data_segment))
  (export "memory" (memory 0)))
