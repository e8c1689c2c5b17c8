;; Listing 5.1.2 (内存布局策略), corrected.
;; Fixes: push/pop check the stack region (overflow into the reserved area and
;; underflow into the heap now trap instead of corrupting memory), and malloc
;; compares sizes without 32-bit wrap-around (malloc(0xFFFFFFF0) used to move
;; the heap pointer backwards and return a pointer into the heap).
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

  ;; 当前栈指针 (the stack grows down from 0x1000 towards 0x0100)
  (global $stack_ptr (mut i32) (i32.const 0x1000))

  ;; 堆分配指针
  (global $heap_ptr (mut i32) (i32.const 0x1000))

  ;; 栈操作：压栈
  (func $push (param $value i32)
    ;; FIX: a full stack traps instead of writing into the reserved area.
    (if (i32.lt_u (global.get $stack_ptr)
                  (i32.add (global.get $STACK_START) (i32.const 4)))
      (then unreachable))
    ;; 移动栈指针
    (global.set $stack_ptr
      (i32.sub (global.get $stack_ptr) (i32.const 4)))
    ;; 存储值
    (i32.store (global.get $stack_ptr) (local.get $value)))

  ;; 栈操作：弹栈
  (func $pop (result i32)
    (local $value i32)
    ;; FIX: popping an empty stack traps instead of reading the heap.
    (if (i32.ge_u (global.get $stack_ptr) (global.get $HEAP_START))
      (then unreachable))
    ;; 读取值
    (local.set $value (i32.load (global.get $stack_ptr)))
    ;; 移动栈指针
    (global.set $stack_ptr
      (i32.add (global.get $stack_ptr) (i32.const 4)))
    local.get $value)

  ;; 简单的堆分配器 (bump allocator): returns 0 when the heap is full
  (func $malloc (param $size i32) (result i32)
    (local $ptr i32)
    ;; 获取当前堆指针
    (local.set $ptr (global.get $heap_ptr))
    ;; FIX: reject sizes larger than the space left *before* rounding and adding,
    ;; so that neither (size + 3) nor (heap_ptr + size) can wrap around.
    (if (i32.gt_u (local.get $size)
                  (i32.sub (global.get $DATA_START) (local.get $ptr)))
      (then (return (i32.const 0))))
    ;; 对齐到4字节边界
    (local.set $size
      (i32.and
        (i32.add (local.get $size) (i32.const 3))
        (i32.const 0xFFFFFFFC)))
    ;; 检查是否超出堆空间 (rounding up can still pass the end of the heap)
    (if (i32.gt_u (i32.add (local.get $ptr) (local.get $size)) (global.get $DATA_START))
      (then (return (i32.const 0))))
    ;; 更新堆指针
    (global.set $heap_ptr (i32.add (local.get $ptr) (local.get $size)))
    local.get $ptr)

  (export "push" (func $push))
  (export "pop" (func $pop))
  (export "malloc" (func $malloc))
  ;; for inspection
  (export "stack_ptr" (global $stack_ptr))
  (export "heap_ptr" (global $heap_ptr))
  (export "memory" (memory 0)))
