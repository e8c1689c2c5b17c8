(module
  (memory 1)
  
  ;; 被动数据段（不会自动初始化）
  (data $template_data passive "Template: ")
  (data $error_messages passive 
    "Error 1: Invalid input\00"
    "Error 2: Out of memory\00"  
    "Error 3: Division by zero\00")
  
  ;; 消息偏移表
  (data $message_offsets passive
    "\00\00\00\00"  ;; 错误1偏移: 0
    "\14\00\00\00"  ;; 错误2偏移: 20
    "\2B\00\00\00") ;; 错误3偏移: 43
  
  ;; 字符串工作缓冲区基址
  (global $string_buffer i32 (i32.const 0x3000))
  
  ;; 初始化错误消息系统
  (func $init_error_system
    ;; 初始化错误消息到缓冲区
    (memory.init $error_messages
      (global.get $string_buffer)  ;; 目标地址
      (i32.const 0)                ;; 源偏移
      (i32.const 60))              ;; 大小
    
    ;; 初始化偏移表
    (memory.init $message_offsets
      (i32.add (global.get $string_buffer) (i32.const 1000))
      (i32.const 0)
      (i32.const 12))
    
    ;; 删除数据段以释放内存
    (data.drop $error_messages)
    (data.drop $message_offsets))
  
  ;; 构建带模板的错误消息
  (func $build_error_message (param $error_code i32) (param $dest i32)
    (local $template_len i32)
    (local $msg_offset i32)
    (local $msg_addr i32)
    
    ;; 复制模板前缀
    (memory.init $template_data
      (local.get $dest)
      (i32.const 0)
      (i32.const 10))  ;; "Template: " 长度
    
    ;; 获取错误消息偏移
    (local.set $msg_offset
      (i32.load
        (i32.add
          (i32.add (global.get $string_buffer) (i32.const 1000))
          (i32.mul (local.get $error_code) (i32.const 4)))))
    
    ;; 计算消息实际地址
    (local.set $msg_addr
      (i32.add (global.get $string_buffer) (local.get $msg_offset)))
    
    ;; 复制错误消息（简化版，假设长度为20）
    (call $copy_string
      (i32.add (local.get $dest) (i32.const 10))
      (local.get $msg_addr)
      (i32.const 20)))
  
  ;; 辅助：复制字符串
  (func $copy_string (param $dest i32) (param $src i32) (param $len i32)
    (local $i i32)
    
    (loop $copy_loop
      (if (i32.ge_u (local.get $i) (local.get $len))
        (then (br $copy_loop)))
      
      (i32.store8
        (i32.add (local.get $dest) (local.get $i))
        (i32.load8_u
          (i32.add (local.get $src) (local.get $i))))
      
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $copy_loop)))
  
  (export "init_error_system" (func $init_error_system))
  (export "build_error_message" (func $build_error_message))
  (export "memory" (memory 0)))
