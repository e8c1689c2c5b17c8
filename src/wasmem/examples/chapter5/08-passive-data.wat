;; Listing 5.3.2 (动态数据段/被动段), corrected.
;; Fixes:
;; - Passive segments are written `(data $name "...")`: a data segment without an
;;   offset is passive. The `passive` keyword came from an early draft of the
;;   bulk-memory proposal and is a parse error today.
;; - The message offsets were wrong: each message is 22..25 characters plus a NUL,
;;   so they start at 0, 23 (0x17) and 46 (0x2E), not 0, 20, 43; and the messages
;;   are 72 bytes in all, not 60 (the third one was cut short).
;; - copy_string's loop did `br $copy_loop` when done, which restarts the loop
;;   forever; it now leaves its block with br_if.
;; - build_error_message copied a fixed 20 bytes, cutting every message; it now
;;   copies the message up to and including its NUL terminator.
;; - init_error_system drops the segments, so a second call trapped; it now runs
;;   once (a flag), and build_error_message calls it first.
;; - build_error_message traps on an error code that has no message (only 0..2).
(module
  (memory 1)

  ;; 被动数据段（不会自动初始化）
  (data $template_data "Template: ")
  (data $error_messages
    "Error 1: Invalid input\00"        ;; 23 bytes at offset 0
    "Error 2: Out of memory\00"        ;; 23 bytes at offset 23
    "Error 3: Division by zero\00")    ;; 26 bytes at offset 46

  ;; 消息偏移表 (FIX: the real offsets)
  (data $message_offsets
    "\00\00\00\00"  ;; 错误1偏移: 0
    "\17\00\00\00"  ;; 错误2偏移: 23
    "\2E\00\00\00") ;; 错误3偏移: 46

  ;; 字符串工作缓冲区基址
  (global $string_buffer i32 (i32.const 0x3000))
  (global $initialized (mut i32) (i32.const 0))

  ;; 初始化错误消息系统 (runs once; later calls do nothing)
  (func $init_error_system
    (if (global.get $initialized) (then (return)))

    ;; 初始化错误消息到缓冲区
    (memory.init $error_messages
      (global.get $string_buffer)  ;; 目标地址
      (i32.const 0)                ;; 源偏移
      (i32.const 72))              ;; 大小 (FIX: 23 + 23 + 26)

    ;; 初始化偏移表
    (memory.init $message_offsets
      (i32.add (global.get $string_buffer) (i32.const 1000))
      (i32.const 0)
      (i32.const 12))

    ;; 删除数据段以释放内存
    (data.drop $error_messages)
    (data.drop $message_offsets)
    (global.set $initialized (i32.const 1)))

  ;; 构建带模板的错误消息: "Template: " + message $error_code (0..2) + NUL at $dest
  (func $build_error_message (param $error_code i32) (param $dest i32)
    (local $msg_offset i32)
    (local $msg_addr i32)

    (if (i32.ge_u (local.get $error_code) (i32.const 3))
      (then unreachable))  ;; no such message
    (call $init_error_system)

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

    ;; 复制错误消息 (FIX: its real length, with the NUL terminator)
    (call $copy_string
      (i32.add (local.get $dest) (i32.const 10))
      (local.get $msg_addr)
      (i32.add (call $strlen (local.get $msg_addr)) (i32.const 1))))

  ;; 辅助：字符串长度 (bytes before the first NUL)
  (func $strlen (param $s i32) (result i32)
    (local $n i32)
    (block $done
      (loop $scan
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $s) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $scan)))
    (local.get $n))

  ;; 辅助：复制字符串
  (func $copy_string (param $dest i32) (param $src i32) (param $len i32)
    (local $i i32)

    (block $done
      (loop $copy_loop
        ;; FIX: leave the block, do not restart the loop
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))

        (i32.store8
          (i32.add (local.get $dest) (local.get $i))
          (i32.load8_u
            (i32.add (local.get $src) (local.get $i))))

        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy_loop))))

  (export "init_error_system" (func $init_error_system))
  (export "build_error_message" (func $build_error_message))
  (export "memory" (memory 0)))
