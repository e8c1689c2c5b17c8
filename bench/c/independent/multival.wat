;; Hand-written in a flat (stack-style, unfolded) style with multi-value: functions that
;; return two or three values, blocks and loops with parameters and results, br_table
;; inside a value-carrying block, and i64 division/remainder. Our own code.
(module
  (type $pair (func (param i64 i64) (result i64 i64)))
  (func $divmod (type $pair)
    local.get 0
    local.get 1
    i64.div_u
    local.get 0
    local.get 1
    i64.rem_u)
  (func $fibstep (param i64 i64) (result i64 i64)
    local.get 1
    local.get 0
    local.get 1
    i64.add)
  (func $swap3 (param i32 i32 i32) (result i32 i32 i32)
    local.get 2
    local.get 0
    local.get 1)
  (func $digits (param $x i64) (result i32)
    (local $n i32)
    i32.const 0
    local.set $n
    block $done
      loop $more
        local.get $x
        i64.const 10
        call $divmod
        i64.eqz
        drop
        local.tee $x
        i64.eqz
        local.get $n
        i32.const 1
        i32.add
        local.set $n
        br_if $done
        br $more
      end
    end
    local.get $n)
  (func $classify (param $k i32) (param $v i32) (result i32)
    local.get $v
    block $b3 (param i32) (result i32)
      block $b2 (param i32) (result i32)
        block $b1 (param i32) (result i32)
          block $b0 (param i32) (result i32)
            local.get $k
            i32.const 5
            i32.rem_u
            br_table $b0 $b1 $b2 $b3 $b3
          end
          i32.const 3
          i32.mul
          return
        end
        i32.const 7
        i32.xor
        return
      end
      i32.const 1
      i32.shl
      return
    end
    i32.const 11
    i32.add)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $a i64) (local $b i64) (local $acc i32) (local $x i32) (local $y i32) (local $z i32)
    i64.const 0
    local.set $a
    i64.const 1
    local.set $b
    i32.const 1
    local.set $x
    i32.const 2
    local.set $y
    i32.const 3
    local.set $z
    block $exit
      loop $loop
        local.get $i
        local.get $n
        i32.ge_u
        br_if $exit
        ;; fibonacci pair step, kept in i64 (wrapping)
        local.get $a
        local.get $b
        call $fibstep
        local.set $b
        local.set $a
        ;; digits of the low bits, a value-carrying loop summing 0..k
        local.get $acc
        local.get $a
        i64.const 0xFFFFFFFFFF
        i64.and
        call $digits
        i32.add
        i32.const 0
        local.get $i
        i32.const 31
        i32.and
        loop $tri (param i32 i32) (result i32)
          local.tee $z
          i32.add
          local.get $z
          i32.const 1
          i32.sub
          local.tee $z
          i32.const 0
          i32.gt_s
          if (param i32) (result i32)
            local.get $z
            br $tri
          end
        end
        i32.add
        local.set $acc
        ;; rotate three values through a multi-value call
        local.get $x
        local.get $y
        local.get $z
        call $swap3
        local.set $z
        local.set $y
        local.set $x
        local.get $x
        local.get $acc
        i32.add
        local.set $x
        local.get $i
        local.get $acc
        call $classify
        local.get $acc
        i32.const 5
        i32.rotl
        i32.xor
        local.set $acc
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br $loop
      end
    end
    local.get $acc
    local.get $x
    i32.add
    local.get $y
    i32.xor
    local.get $b
    i32.wrap_i64
    i32.add)
)
