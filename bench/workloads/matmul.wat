(module
  ;; f64 matrix multiply C = A x B of n x n row-major matrices (f64.load / f64.store /
  ;; f64.mul / f64.add in a triple loop). A[i][j] = ((3i + 5j) mod 11 - 5) / 4 and
  ;; B[i][j] = ((7i + 2j) mod 13 - 6) / 2, so every product and sum is exact and the
  ;; checksum does not depend on the order of additions.
  ;; export "matmul" (param $n i32) (result f64): n <= 128; returns the sum of C's
  ;; elements weighted by (i + 1).  A is at 0, B at 128 KiB, C at 256 KiB.
  (memory (export "memory") 6)
  (func (export "matmul") (param $n i32) (result f64)
    (local $i i32) (local $j i32) (local $k i32) (local $acc f64) (local $sum f64)
    (local $row i32)
    ;; initialise A and B
    (block $init_done
      (loop $init_i
        (br_if $init_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $init_row_done
          (loop $init_j
            (br_if $init_row_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $k (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n))
                                            (local.get $j)) (i32.const 3)))
            (f64.store (local.get $k)
              (f64.mul (f64.convert_i32_s
                         (i32.sub (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 3))
                                                      (i32.mul (local.get $j) (i32.const 5)))
                                             (i32.const 11))
                                  (i32.const 5)))
                       (f64.const 0.25)))
            (f64.store offset=131072 (local.get $k)
              (f64.mul (f64.convert_i32_s
                         (i32.sub (i32.rem_u (i32.add (i32.mul (local.get $i) (i32.const 7))
                                                      (i32.mul (local.get $j) (i32.const 2)))
                                             (i32.const 13))
                                  (i32.const 6)))
                       (f64.const 0.5)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $init_j)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $init_i)))
    ;; C = A x B
    (local.set $i (i32.const 0))
    (block $mul_done
      (loop $mul_i
        (br_if $mul_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $row (i32.mul (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $row_done
          (loop $mul_j
            (br_if $row_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $acc (f64.const 0))
            (local.set $k (i32.const 0))
            (block $dot_done
              (loop $dot
                (br_if $dot_done (i32.ge_u (local.get $k) (local.get $n)))
                (local.set $acc
                  (f64.add (local.get $acc)
                    (f64.mul
                      (f64.load (i32.shl (i32.add (local.get $row) (local.get $k))
                                         (i32.const 3)))
                      (f64.load offset=131072
                        (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n))
                                          (local.get $j))
                                 (i32.const 3))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $dot)))
            (f64.store offset=262144
              (i32.shl (i32.add (local.get $row) (local.get $j)) (i32.const 3))
              (local.get $acc))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $mul_j)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $mul_i)))
    ;; checksum
    (local.set $i (i32.const 0))
    (block $sum_done
      (loop $sum_i
        (br_if $sum_done (i32.ge_u (local.get $i) (i32.mul (local.get $n) (local.get $n))))
        (local.set $sum
          (f64.add (local.get $sum)
            (f64.mul (f64.load offset=262144 (i32.shl (local.get $i) (i32.const 3)))
                     (f64.convert_i32_u
                       (i32.add (i32.div_u (local.get $i) (local.get $n)) (i32.const 1))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum_i)))
    (local.get $sum)))
