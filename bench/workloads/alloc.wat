(module
  ;; A malloc/free-heavy allocator written in WebAssembly: segregated free lists with
  ;; 16 size classes of 16..256 bytes, a bump pointer for fresh blocks and memory.grow
  ;; when the heap runs out. Each block starts with a 4-byte header holding its class;
  ;; a free block keeps the next free block's address in its first payload word.
  ;; Page 0 holds the 256 live-object slots (at 0) and the free-list heads (at 1024);
  ;; the heap starts at 64 KiB.
  ;; export "alloc" (param $n i32) (result i32): n rounds; each round draws a random
  ;; slot and size (8..247 bytes) from an LCG, frees the slot's block (folding its first
  ;; and last word into the checksum), allocates a new one and writes its first and last
  ;; word. Returns the checksum h = h * 31 + value (i32, wrapping) xor the heap top.
  (memory (export "memory") 2)
  (global $bump (mut i32) (i32.const 65536))
  (global $seed (mut i32) (i32.const 12345))

  (func $random (result i32)
    (global.set $seed (i32.add (i32.mul (global.get $seed) (i32.const 1103515245))
                               (i32.const 12345)))
    (i32.shr_u (global.get $seed) (i32.const 8)))

  (func $malloc (export "malloc") (param $size i32) (result i32)
    (local $class i32) (local $block i32) (local $head i32) (local $end i32)
    ;; class c serves blocks of (c + 1) * 16 bytes, header included
    (local.set $class (i32.sub (i32.shr_u (i32.add (local.get $size) (i32.const 19))
                                          (i32.const 4))
                               (i32.const 1)))
    (local.set $head (i32.add (i32.const 1024) (i32.shl (local.get $class) (i32.const 2))))
    (local.set $block (i32.load (local.get $head)))
    (if (local.get $block)
      (then
        ;; pop the free list
        (i32.store (local.get $head) (i32.load offset=4 (local.get $block))))
      (else
        ;; carve a fresh block, growing the memory when needed
        (local.set $block (global.get $bump))
        (local.set $end (i32.add (local.get $block)
                                 (i32.shl (i32.add (local.get $class) (i32.const 1))
                                          (i32.const 4))))
        (if (i32.gt_u (local.get $end) (i32.shl (memory.size) (i32.const 16)))
          (then
            (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1))
              (then (unreachable)))))
        (global.set $bump (local.get $end))))
    (i32.store (local.get $block) (local.get $class))
    (i32.add (local.get $block) (i32.const 4)))

  (func $free (export "free") (param $p i32)
    (local $block i32) (local $head i32)
    (if (i32.eqz (local.get $p)) (then (return)))
    (local.set $block (i32.sub (local.get $p) (i32.const 4)))
    (local.set $head (i32.add (i32.const 1024)
                              (i32.shl (i32.load (local.get $block)) (i32.const 2))))
    (i32.store (local.get $p) (i32.load (local.get $head)))
    (i32.store (local.get $head) (local.get $block)))

  (func (export "alloc") (param $n i32) (result i32)
    (local $i i32) (local $r i32) (local $slot i32) (local $p i32) (local $size i32)
    (local $h i32)
    (block $done
      (loop $round
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $r (call $random))
        (local.set $slot (i32.shl (i32.and (local.get $r) (i32.const 255)) (i32.const 2)))
        (local.set $p (i32.load (local.get $slot)))
        (if (local.get $p)
          (then
            (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31))
                                   (i32.load (local.get $p))))
            (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31))
                                   (i32.load offset=4 (local.get $p))))
            (call $free (local.get $p))))
        (local.set $size (i32.add (i32.const 8)
                                  (i32.rem_u (i32.shr_u (local.get $r) (i32.const 8))
                                             (i32.const 240))))
        (local.set $p (call $malloc (local.get $size)))
        (i32.store (local.get $p) (i32.xor (local.get $i) (local.get $size)))
        (i32.store offset=4 (local.get $p) (local.get $i))
        (i32.store (i32.sub (i32.add (local.get $p) (local.get $size)) (i32.const 4))
                   (local.get $r))
        (i32.store (local.get $slot) (local.get $p))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $round)))
    ;; free everything still live
    (local.set $slot (i32.const 0))
    (block $freed
      (loop $free_all
        (br_if $freed (i32.ge_u (local.get $slot) (i32.const 1024)))
        (call $free (i32.load (local.get $slot)))
        (i32.store (local.get $slot) (i32.const 0))
        (local.set $slot (i32.add (local.get $slot) (i32.const 4)))
        (br $free_all)))
    (i32.xor (local.get $h) (global.get $bump))))
