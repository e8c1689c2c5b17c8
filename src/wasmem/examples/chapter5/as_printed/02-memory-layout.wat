(module
  (memory 1)  ;; 64KB 内存
  
  ;; 内存布局规划
  ;; 0x0000 - 0x0100: 系统保留区域 (256字节)
  ;; 0x0100 - 0x1000: 栈空间 (3840字节)
  ;; 0x1000 - 0x8000: 堆空间 (28KB)
  ;; 0x8000 - 0xFFFF: 静态数据区 (32KB)
  
  (global $RESERVED_START i32 (i32.const 0x0000))
  (global $STACK_START i32 (i32.const 0x0100))
  (global $HEAP_START i32 (i32.const 0x1000))
  (global $DATA_START i32 (i32.const 0x8000))
  
  ;; 当前栈指针
  (global $stack_ptr (mut i32) (i32.const 0x1000))
  
  ;; 堆分配指针
  (global $heap_ptr (mut i32) (i32.const 0x1000))
  
  ;; 栈操作：压栈
  (func $push (param $value i32)
    ;; 移动栈指针
    (global.set $stack_ptr
      (i32.sub (global.get $stack_ptr) (i32.const 4)))
    
    ;; 存储值
    (i32.store (global.get $stack_ptr) (local.get $value)))
  
  ;; 栈操作：弹栈
  (func $pop (result i32)
    (local $value i32)
    
    ;; 读取值
    (local.set $value (i32.load (global.get $stack_ptr)))
    
    ;; 移动栈指针
    (global.set $stack_ptr
      (i32.add (global.get $stack_ptr) (i32.const 4)))
    
    local.get $value)
  
  ;; 简单的堆分配器
  (func $malloc (param $size i32) (result i32)
    (local $ptr i32)
    
    ;; 获取当前堆指针
    (local.set $ptr (global.get $heap_ptr))
    
    ;; 对齐到4字节边界
    (local.set $size
      (i32.and
        (i32.add (local.get $size) (i32.const 3))
        (i32.const 0xFFFFFFFC)))
    
    ;; 更新堆指针
    (global.set $heap_ptr
      (i32.add (global.get $heap_ptr) (local.get $size)))
    
    ;; 检查是否超出堆空间
    (if (i32.gt_u (global.get $heap_ptr) (global.get $DATA_START))
      (then 
        ;; 分配失败，返回 NULL
        (global.set $heap_ptr (local.get $ptr))
        (return (i32.const 0))))
    
    local.get $ptr)
  
  (export "push" (func $push))
  (export "pop" (func $pop))
  (export "malloc" (func $malloc))
  (export "memory" (memory 0)))
