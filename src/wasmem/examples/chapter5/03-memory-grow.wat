;; Listing 5.1.3 (内存增长机制), corrected.
;; Fixes: grow_memory left the result of memory.grow on the stack (the function
;; did not validate: "type mismatch") and then tested a second memory.grow of 0
;; pages, which never fails; it now tests the result of the real grow.
;; ensure_memory rounds bytes up to pages without overflowing (required_bytes
;; near 4 GiB made "required_bytes + 65535" wrap to a tiny page count).
(module
  (memory 1 100)  ;; 初始1页，最大100页

  ;; 内存状态监控
  (func $get_memory_size (result i32)
    (memory.size))  ;; 返回当前页数

  ;; 增长内存: returns 1 on success, 0 on failure
  (func $grow_memory (param $pages i32) (result i32)
    ;; memory.grow 返回增长前的页数，失败时返回 -1
    ;; FIX: test the value memory.grow returned, instead of leaving it on the stack.
    (if (result i32)
      (i32.eq (memory.grow (local.get $pages)) (i32.const -1))
      (then (i32.const 0))    ;; 失败
      (else (i32.const 1))))  ;; 成功

  ;; 检查内存是否足够: returns 1 if memory holds required_bytes (growing it if needed)
  (func $ensure_memory (param $required_bytes i32) (result i32)
    (local $current_bytes i32)
    (local $required_pages i32)
    (local $current_pages i32)

    ;; 计算当前总字节数 (at most 100 pages here, so the product fits in i32)
    (local.set $current_pages (memory.size))
    (local.set $current_bytes
      (i32.mul (local.get $current_pages) (i32.const 65536)))

    ;; 检查是否需要增长
    (if (i32.ge_u (local.get $current_bytes) (local.get $required_bytes))
      (then (return (i32.const 1))))  ;; 已经足够

    ;; 计算需要的页数
    ;; FIX: ceil(bytes / 65536) as (bytes >> 16) + (bytes & 0xFFFF != 0): no overflow.
    (local.set $required_pages
      (i32.add
        (i32.shr_u (local.get $required_bytes) (i32.const 16))
        (i32.ne (i32.and (local.get $required_bytes) (i32.const 0xFFFF)) (i32.const 0))))

    ;; 尝试增长到所需大小
    (call $grow_memory
      (i32.sub (local.get $required_pages) (local.get $current_pages))))

  (export "get_memory_size" (func $get_memory_size))
  (export "grow_memory" (func $grow_memory))
  (export "ensure_memory" (func $ensure_memory))
  (export "memory" (memory 0)))
