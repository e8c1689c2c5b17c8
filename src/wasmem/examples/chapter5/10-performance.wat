;; Listing 5.4.2 (性能优化技巧), corrected.
;; Fixes: every loop tested for the end and then did `br $..._loop`, which jumps
;; back to the loop's start instead of leaving it, so all three functions ran
;; forever. Each loop now sits in a block and leaves with `br_if`.
;; vectorized_add claimed to handle four elements per iteration but handled one
;; (and stepped $i by 1 up to $end); its main loop now adds four elements per
;; iteration and the remainder loop the last length % 4.
(module
  (memory 1)

  ;; 缓存友好的数据访问: sum of $length i32 values at $array_ptr
  (func $cache_friendly_sum (param $array_ptr i32) (param $length i32) (result i32)
    (local $sum i32)
    (local $i i32)

    ;; 顺序访问，利用缓存局部性
    (block $done
      (loop $sum_loop
        (br_if $done (i32.ge_u (local.get $i) (local.get $length)))  ;; FIX

        (local.set $sum
          (i32.add
            (local.get $sum)
            (i32.load
              (i32.add
                (local.get $array_ptr)
                (i32.mul (local.get $i) (i32.const 4))))))

        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum_loop)))

    local.get $sum)

  ;; 批量操作优化：一次处理多个元素 (result[i] = a[i] + b[i], i32 elements)
  (func $vectorized_add (param $a_ptr i32) (param $b_ptr i32) (param $result_ptr i32)
                        (param $length i32)
    (local $i i32)
    (local $end i32)
    (local $offset i32)

    ;; 计算向量化结束位置（4的倍数）
    (local.set $end
      (i32.and (local.get $length) (i32.const 0xFFFFFFFC)))

    ;; 向量化循环：一次处理4个元素 (FIX: really four per iteration)
    (block $vector_done
      (loop $vector_loop
        (br_if $vector_done (i32.ge_u (local.get $i) (local.get $end)))  ;; FIX

        (local.set $offset (i32.mul (local.get $i) (i32.const 4)))
        (i32.store offset=0
          (i32.add (local.get $result_ptr) (local.get $offset))
          (i32.add
            (i32.load offset=0 (i32.add (local.get $a_ptr) (local.get $offset)))
            (i32.load offset=0 (i32.add (local.get $b_ptr) (local.get $offset)))))
        (i32.store offset=4
          (i32.add (local.get $result_ptr) (local.get $offset))
          (i32.add
            (i32.load offset=4 (i32.add (local.get $a_ptr) (local.get $offset)))
            (i32.load offset=4 (i32.add (local.get $b_ptr) (local.get $offset)))))
        (i32.store offset=8
          (i32.add (local.get $result_ptr) (local.get $offset))
          (i32.add
            (i32.load offset=8 (i32.add (local.get $a_ptr) (local.get $offset)))
            (i32.load offset=8 (i32.add (local.get $b_ptr) (local.get $offset)))))
        (i32.store offset=12
          (i32.add (local.get $result_ptr) (local.get $offset))
          (i32.add
            (i32.load offset=12 (i32.add (local.get $a_ptr) (local.get $offset)))
            (i32.load offset=12 (i32.add (local.get $b_ptr) (local.get $offset)))))

        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vector_loop)))

    ;; 处理剩余元素
    (block $remainder_done
      (loop $remainder_loop
        (br_if $remainder_done (i32.ge_u (local.get $i) (local.get $length)))  ;; FIX

        (i32.store
          (i32.add (local.get $result_ptr) (i32.mul (local.get $i) (i32.const 4)))
          (i32.add
            (i32.load (i32.add (local.get $a_ptr) (i32.mul (local.get $i) (i32.const 4))))
            (i32.load (i32.add (local.get $b_ptr) (i32.mul (local.get $i) (i32.const 4))))))

        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $remainder_loop))))

  ;; 内存预取模拟（通过提前访问实现）: the same sum as cache_friendly_sum
  (func $prefetch_demo (param $data_ptr i32) (param $length i32) (result i32)
    (local $sum i32)
    (local $i i32)
    (local $prefetch_distance i32)

    (local.set $prefetch_distance (i32.const 64))  ;; 提前64个元素

    (block $done
      (loop $prefetch_loop
        (br_if $done (i32.ge_u (local.get $i) (local.get $length)))  ;; FIX

        ;; 预取未来的数据
        (if (i32.lt_u
              (i32.add (local.get $i) (local.get $prefetch_distance))
              (local.get $length))
          (then
            (i32.load  ;; 触发缓存加载
              (i32.add
                (local.get $data_ptr)
                (i32.mul
                  (i32.add (local.get $i) (local.get $prefetch_distance))
                  (i32.const 4))))
            drop))

        ;; 处理当前数据
        (local.set $sum
          (i32.add
            (local.get $sum)
            (i32.load
              (i32.add
                (local.get $data_ptr)
                (i32.mul (local.get $i) (i32.const 4))))))

        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $prefetch_loop)))

    local.get $sum)

  (export "cache_friendly_sum" (func $cache_friendly_sum))
  (export "vectorized_add" (func $vectorized_add))
  (export "prefetch_demo" (func $prefetch_demo))
  (export "memory" (memory 0)))
