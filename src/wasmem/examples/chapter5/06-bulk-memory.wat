;; Listing 5.2.3 (批量内存操作), corrected.
;; Fix: `memory.init` takes its data segment as a static immediate (an index or a
;; $name of a (data ...) in the module); it cannot come from a parameter, and the
;; printed module had no data segment at all ("unknown data segment
;; $segment_index"). The module now declares two passive segments and
;; init_data_segment picks one with br_table; an unknown index traps.
;; (memory.copy, memory.fill and memory.init are core WebAssembly since 2.0.)
(module
  (memory 1)

  ;; FIX: passive data segments for memory.init to copy from
  (data $greeting "Hello, bulk memory!")  ;; segment 0, 19 bytes
  (data $digits "0123456789")             ;; segment 1, 10 bytes

  ;; 使用 memory.copy 批量复制
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

  ;; 初始化内存段: copy the first $size bytes of segment $segment_index to $dest
  (func $init_data_segment (param $dest i32) (param $segment_index i32) (param $size i32)
    (block $unknown
      (block $segment1
        (block $segment0
          ;; FIX: dispatch on the run-time index; each memory.init names its segment
          (br_table $segment0 $segment1 $unknown (local.get $segment_index)))
        ;; segment 0
        (memory.init $greeting (local.get $dest) (i32.const 0) (local.get $size))
        (return))
      ;; segment 1
      (memory.init $digits (local.get $dest) (i32.const 0) (local.get $size))
      (return))
    ;; no such segment
    unreachable)

  (export "fast_memory_copy" (func $fast_memory_copy))
  (export "fast_memory_fill" (func $fast_memory_fill))
  (export "init_data_segment" (func $init_data_segment))
  (export "memory" (memory 0)))
