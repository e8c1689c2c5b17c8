(module
  ;; 定义最小1页（64KB），最大10页的内存
  (memory $main 1 10)
  
  ;; 导出内存供外部访问
  (export "memory" (memory $main))
  
  ;; 简单的内存读写演示
  (func $memory_demo (param $offset i32) (param $value i32)
    ;; 写入32位整数到指定偏移
    (i32.store (local.get $offset) (local.get $value))
    
    ;; 读取并验证
    (i32.load (local.get $offset))
    drop)
  
  (export "memory_demo" (func $memory_demo)))
