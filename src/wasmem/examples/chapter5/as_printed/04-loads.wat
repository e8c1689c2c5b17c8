(module
  (memory 1)
  
  ;; 初始化测试数据
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0A\0B\0C\0D\0E\0F\10")
  
  (func $load_operations (param $addr i32)
    ;; 8位加载
    (i32.load8_u (local.get $addr))    ;; 无符号8位 → i32
    (i32.load8_s (local.get $addr))    ;; 有符号8位 → i32
    
    ;; 16位加载  
    (i32.load16_u (local.get $addr))   ;; 无符号16位 → i32
    (i32.load16_s (local.get $addr))   ;; 有符号16位 → i32
    
    ;; 32位加载
    (i32.load (local.get $addr))       ;; 32位 → i32
    
    ;; 64位加载（到 i64）
    (i64.load8_u (local.get $addr))    ;; 无符号8位 → i64
    (i64.load8_s (local.get $addr))    ;; 有符号8位 → i64
    (i64.load16_u (local.get $addr))   ;; 无符号16位 → i64
    (i64.load16_s (local.get $addr))   ;; 有符号16位 → i64
    (i64.load32_u (local.get $addr))   ;; 无符号32位 → i64
    (i64.load32_s (local.get $addr))   ;; 有符号32位 → i64
    (i64.load (local.get $addr))       ;; 64位 → i64
    
    ;; 浮点数加载
    (f32.load (local.get $addr))       ;; 32位浮点
    (f64.load (local.get $addr))       ;; 64位浮点
    
    ;; 清空栈
    drop drop drop drop drop drop drop drop
    drop drop drop drop drop drop)
  
  (export "load_operations" (func $load_operations))
  (export "memory" (memory 0)))
