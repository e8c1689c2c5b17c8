;; Listing 5.4.1 (对齐原理), corrected.
;; The printed module is valid (every align=N is at most the access's natural
;; alignment, as validation requires). One change: alignment_demo dropped the three
;; values it loaded; it now returns them, so the effect of the unaligned store
;; (which overwrites bytes 0x1001..0x1004) can be seen. align_up expects a power
;; of two; is_aligned traps on alignment 0 (integer divide by zero), as printed.
(module
  (memory 1)

  ;; 演示对齐访问
  (func $alignment_demo (result i32 i32 i64)
    ;; 对齐的32位访问（地址是4的倍数）
    (i32.store align=4 (i32.const 0x1000) (i32.const 0x12345678))
    (i32.load align=4 (i32.const 0x1000))

    ;; 非对齐访问（可能较慢，但仍然有效）
    (i32.store align=1 (i32.const 0x1001) (i32.const 0x87654321))
    (i32.load align=1 (i32.const 0x1001))

    ;; 64位对齐访问
    (i64.store align=8 (i32.const 0x2000) (i64.const 0x123456789ABCDEF0))
    (i64.load align=8 (i32.const 0x2000)))
    ;; FIX: the three loaded values are the results (they were dropped)

  ;; 数据结构对齐
  (func $aligned_struct_demo
    (local $base_addr i32)
    (local.set $base_addr (i32.const 0x3000))

    ;; 结构体：
    ;; struct Person {
    ;;   i32 id;        // 0-3
    ;;   f64 height;    // 8-15 (对齐到8字节)
    ;;   i32 age;       // 16-19
    ;; } // 总大小：24字节（末尾填充到8字节对齐）

    ;; 存储 ID
    (i32.store align=4
      (local.get $base_addr)
      (i32.const 12345))

    ;; 存储身高（注意8字节对齐）
    (f64.store align=8
      (i32.add (local.get $base_addr) (i32.const 8))
      (f64.const 175.5))

    ;; 存储年龄
    (i32.store align=4
      (i32.add (local.get $base_addr) (i32.const 16))
      (i32.const 25)))

  ;; 内存对齐工具函数
  (func $align_up (param $addr i32) (param $alignment i32) (result i32)
    (local $mask i32)

    ;; 计算掩码（对齐-1）
    (local.set $mask (i32.sub (local.get $alignment) (i32.const 1)))

    ;; 对齐公式：(addr + mask) & ~mask
    (i32.and
      (i32.add (local.get $addr) (local.get $mask))
      (i32.xor (local.get $mask) (i32.const -1))))

  ;; 检查地址是否对齐
  (func $is_aligned (param $addr i32) (param $alignment i32) (result i32)
    (i32.eqz
      (i32.rem_u (local.get $addr) (local.get $alignment))))

  (export "alignment_demo" (func $alignment_demo))
  (export "aligned_struct_demo" (func $aligned_struct_demo))
  (export "align_up" (func $align_up))
  (export "is_aligned" (func $is_aligned))
  (export "memory" (memory 0)))
