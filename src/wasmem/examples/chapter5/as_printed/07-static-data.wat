(module
  (memory 1)
  
  ;; 字符串数据段
  (data $hello (i32.const 0x1000) "Hello, WebAssembly!")
  (data $numbers (i32.const 0x1020) "\01\02\03\04\05\06\07\08")
  
  ;; 结构化数据
  (data $person_record (i32.const 0x1100)
    ;; 年龄 (4字节)
    "\1A\00\00\00"      ;; 26岁
    ;; 身高 (4字节浮点)
    "\00\00\B4\42"      ;; 90.0
    ;; 名字长度 (4字节)
    "\05\00\00\00"      ;; 5个字符
    ;; 名字数据
    "Alice")
  
  ;; 查找表数据
  (data $lookup_table (i32.const 0x2000)
    ;; 平方表：0² 到 15²
    "\00\00\00\00"  ;; 0
    "\01\00\00\00"  ;; 1
    "\04\00\00\00"  ;; 4
    "\09\00\00\00"  ;; 9
    "\10\00\00\00"  ;; 16
    "\19\00\00\00"  ;; 25
    "\24\00\00\00"  ;; 36
    "\31\00\00\00"  ;; 49
    "\40\00\00\00"  ;; 64
    "\51\00\00\00"  ;; 81
    "\64\00\00\00"  ;; 100
    "\79\00\00\00"  ;; 121
    "\90\00\00\00"  ;; 144
    "\A9\00\00\00"  ;; 169
    "\C4\00\00\00"  ;; 196
    "\E1\00\00\00") ;; 225
  
  ;; 读取字符串
  (func $get_string_char (param $index i32) (result i32)
    (if (result i32)
      (i32.ge_u (local.get $index) (i32.const 20))
      (then (i32.const 0))  ;; 超出范围
      (else
        (i32.load8_u
          (i32.add (i32.const 0x1000) (local.get $index))))))
  
  ;; 快速平方查找
  (func $fast_square (param $n i32) (result i32)
    (if (result i32)
      (i32.ge_u (local.get $n) (i32.const 16))
      (then (i32.mul (local.get $n) (local.get $n)))  ;; 计算
      (else  ;; 查表
        (i32.load
          (i32.add
            (i32.const 0x2000)
            (i32.mul (local.get $n) (i32.const 4)))))))
  
  ;; 读取人员记录
  (func $get_person_age (result i32)
    (i32.load (i32.const 0x1100)))
  
  (func $get_person_height (result f32)
    (f32.load (i32.const 0x1104)))
  
  (func $get_person_name_length (result i32)
    (i32.load (i32.const 0x1108)))
  
  (export "get_string_char" (func $get_string_char))
  (export "fast_square" (func $fast_square))
  (export "get_person_age" (func $get_person_age))
  (export "get_person_height" (func $get_person_height))
  (export "get_person_name_length" (func $get_person_name_length))
  (export "memory" (memory 0)))
