;; Listing 5.2.1 (加载指令详解), corrected.
;; The printed listing is valid but shows nothing: it drops every value it loads,
;; and its test data has no byte >= 0x80, so signed and unsigned loads agree.
;; Fixes: load_operations returns the fourteen loaded values (multi-value), and a
;; second segment at 0x10 holds bytes with the high bit set, where the _s and _u
;; loads differ (sign extension versus zero extension).
(module
  (memory 1)

  ;; 初始化测试数据
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0A\0B\0C\0D\0E\0F\10")
  ;; FIX: bytes with the high bit set, to see sign extension
  (data (i32.const 0x10) "\80\FF\7F\FE\F0\DE\BC\9A\88\99\AA\BB\CC\DD\EE\FF")

  (func $load_operations (param $addr i32)
    (result i32 i32 i32 i32 i32 i64 i64 i64 i64 i64 i64 i64 f32 f64)
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
    (f64.load (local.get $addr)))      ;; 64位浮点
    ;; FIX: no drops: the fourteen values are the function's results

  (export "load_operations" (func $load_operations))
  (export "memory" (memory 0)))
