;; Hand-written in a third style: a Brainfuck interpreter whose program sits in a data
;; segment. Globals hold the machine's registers (pc, pointer, hash), br_table
;; dispatches on a byte-to-opcode table also in memory, brackets are matched by scanning
;; (no precomputed jump table), `.` folds the output byte into an FNV-1a hash instead of
;; printing, and each round clears the tape with memory.fill. Our own code; the program
;; is the well-known "Hello World!" one (a fact, not code: it prints that text).
(module
  (memory 1)
  (global $pc (mut i32) (i32.const 0))
  (global $ptr (mut i32) (i32.const 0))
  (global $hash (mut i32) (i32.const 0))
  ;; 256-byte opcode table at 0: '+'=1 '-'=2 '>'=3 '<'=4 '['=5 ']'=6 '.'=7, else 0
  (data (i32.const 43) "\01")
  (data (i32.const 45) "\02")
  (data (i32.const 62) "\03")
  (data (i32.const 60) "\04")
  (data (i32.const 91) "\05")
  (data (i32.const 93) "\06")
  (data (i32.const 46) "\07")
  ;; the program at 1024, zero-terminated
  (data (i32.const 1024) "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.>++.\00")
  (func $match (param $dir i32) (param $open i32) (param $close i32)
    ;; move pc to the matching bracket, scanning in direction $dir
    (local $depth i32) (local $c i32)
    (local.set $depth (i32.const 1))
    (loop $scan
      (global.set $pc (i32.add (global.get $pc) (local.get $dir)))
      (local.set $c (i32.load8_u offset=1024 (global.get $pc)))
      (local.set $depth (i32.add (local.get $depth)
        (i32.sub (i32.eq (local.get $c) (local.get $open)) (i32.eq (local.get $c) (local.get $close)))))
      (br_if $scan (local.get $depth))))
  (func $step (result i32)
    (local $op i32)
    (local.set $op (i32.load8_u (i32.load8_u offset=1024 (global.get $pc))))
    (block $halt
      (block $out
        (block $close
          (block $open
            (block $left
              (block $right
                (block $dec
                  (block $inc
                    (block $other
                      (br_table $other $inc $dec $right $left $open $close $out (local.get $op)))
                    ;; other byte: the terminator halts, anything else is a comment
                    (br_if $halt (i32.eqz (i32.load8_u offset=1024 (global.get $pc))))
                    (br $halt))
                  (i32.store8 offset=4096 (global.get $ptr)
                    (i32.add (i32.load8_u offset=4096 (global.get $ptr)) (i32.const 1)))
                  (br $halt))
                (i32.store8 offset=4096 (global.get $ptr)
                  (i32.sub (i32.load8_u offset=4096 (global.get $ptr)) (i32.const 1)))
                (br $halt))
              (global.set $ptr (i32.add (global.get $ptr) (i32.const 1)))
              (br $halt))
            (global.set $ptr (i32.sub (global.get $ptr) (i32.const 1)))
            (br $halt))
          (if (i32.eqz (i32.load8_u offset=4096 (global.get $ptr)))
            (then (call $match (i32.const 1) (i32.const 91) (i32.const 93))))
          (br $halt))
        (if (i32.load8_u offset=4096 (global.get $ptr))
          (then (call $match (i32.const -1) (i32.const 93) (i32.const 91))))
        (br $halt))
      (global.set $hash (i32.mul (i32.xor (global.get $hash) (i32.load8_u offset=4096 (global.get $ptr)))
                                 (i32.const 16777619))))
    (global.set $pc (i32.add (global.get $pc) (i32.const 1)))
    (i32.load8_u offset=1024 (global.get $pc)))
  (func (export "run") (param $n i32) (result i32)
    (global.set $hash (i32.const 0x811c9dc5))
    (block $done
      (loop $round
        (br_if $done (i32.eqz (local.get $n)))
        (memory.fill (i32.const 4096) (i32.const 0) (i32.const 256))
        (global.set $pc (i32.const 0))
        (global.set $ptr (i32.const 0))
        (loop $run
          (br_if $run (call $step)))
        (global.set $hash (i32.add (global.get $hash) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $round)))
    (global.get $hash)))
