;; Listing 5.2.2 (存储指令详解), corrected.
;; Fixes: the loops of memory_copy and memory_fill tested for the end and then
;; did `br $copy_loop` / `br $fill_loop`: a branch to a loop label jumps back to
;; the loop's start, so they never returned. Each loop now sits in a block and
;; leaves with `br_if $done`. memory_copy also copies backwards when the
;; destination overlaps the end of the source (memmove, as memory.copy does).
;; store_operations stored all three widths at the same address, so only the
;; last store was visible; they now go to addr, addr+4 and addr+8.
(module
  (memory 1)

  (func $store_operations (param $addr i32) (param $value i32)
    ;; 8位存储 (keeps the low byte)
    (i32.store8 (local.get $addr) (local.get $value))

    ;; 16位存储 (keeps the low two bytes)
    (i32.store16 offset=4 (local.get $addr) (local.get $value))

    ;; 32位存储
    (i32.store offset=8 (local.get $addr) (local.get $value)))

  ;; 批量数据复制 (byte by byte; overlapping ranges handled like memory.copy)
  (func $memory_copy (param $dest i32) (param $src i32) (param $size i32)
    (local $i i32)

    ;; dest inside (src, src + size): copy from the end, so no byte is overwritten
    ;; before it is read
    (if (i32.and
          (i32.gt_u (local.get $dest) (local.get $src))
          (i32.lt_u (i32.sub (local.get $dest) (local.get $src)) (local.get $size)))
      (then
        (local.set $i (local.get $size))
        (block $done
          (loop $copy_back
            (br_if $done (i32.eqz (local.get $i)))
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (i32.store8
              (i32.add (local.get $dest) (local.get $i))
              (i32.load8_u (i32.add (local.get $src) (local.get $i))))
            (br $copy_back)))
        (return)))

    (local.set $i (i32.const 0))
    (block $done
      (loop $copy_loop
        ;; 检查是否完成 (FIX: leave the block, do not restart the loop)
        (br_if $done (i32.ge_u (local.get $i) (local.get $size)))

        ;; 复制一个字节
        (i32.store8
          (i32.add (local.get $dest) (local.get $i))
          (i32.load8_u
            (i32.add (local.get $src) (local.get $i))))

        ;; 递增计数器
        (local.set $i (i32.add (local.get $i) (i32.const 1)))

        (br $copy_loop))))

  ;; 内存填充
  (func $memory_fill (param $addr i32) (param $value i32) (param $size i32)
    (local $i i32)

    (local.set $i (i32.const 0))

    (block $done
      (loop $fill_loop
        ;; FIX: leave the block, do not restart the loop
        (br_if $done (i32.ge_u (local.get $i) (local.get $size)))

        (i32.store8
          (i32.add (local.get $addr) (local.get $i))
          (local.get $value))

        (local.set $i (i32.add (local.get $i) (i32.const 1)))

        (br $fill_loop))))

  (export "store_operations" (func $store_operations))
  (export "memory_copy" (func $memory_copy))
  (export "memory_fill" (func $memory_fill))
  (export "memory" (memory 0)))
