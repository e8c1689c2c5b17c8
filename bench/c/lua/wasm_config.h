/* Build configuration of Lua 5.4 for the wasmem benchmark: force-included into every
 * Lua source file (clang -include wasm_config.h, see ../build.sh). The Lua sources in
 * src/ are unmodified; everything this build changes is here.
 *
 * - Errors: wasi-libc under clang-14 has no setjmp/longjmp, so a Lua error (error(),
 *   a runtime error, out of memory, a yield across C) executes `unreachable` (a trap)
 *   instead of unwinding to a pcall. The benchmark script raises no errors and uses no
 *   coroutines (lcorolib is not built), so it never takes that path.
 * - No imports: no files (loadfile/dofile fail to open anything; liolib, loslib, loadlib
 *   are not built), no clock (the hash seed and math.random's seed are constants), and
 *   print() feeds a hash instead of stdout (cbench_lua_write in lua_bench.c).
 */
#ifndef CBENCH_LUA_WASM_CONFIG_H
#define CBENCH_LUA_WASM_CONFIG_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define LUAI_THROW(L, c) __builtin_trap()
#define LUAI_TRY(L, c, a) { a }
#define luai_jmpbuf int

/* lstate.h includes <signal.h> for sig_atomic_t unless l_signalT is set; wasi-libc's
 * signal.h refuses to be included without signal emulation. */
#define l_signalT int

#define luai_makeseed(L) 0x2545F491u
#define time(t) ((time_t)0)
#define l_randomizePivot() 0u /* ltablib's sort: fixed pivots instead of clock() */

void cbench_lua_write(const char *s, size_t l);
#define lua_writestring(s, l) cbench_lua_write((s), (l))
#define lua_writeline() cbench_lua_write("\n", 1)
#define lua_writestringerror(s, p) ((void)0)

#undef stdin
#define stdin ((FILE *)NULL)
#define fopen(name, mode) ((FILE *)NULL)
#define freopen(name, mode, f) ((FILE *)NULL)
#define fclose(f) 0
#define getc(f) EOF
#define fread(p, s, n, f) ((size_t)0)
#define ferror(f) 0
#define feof(f) 1

#endif
