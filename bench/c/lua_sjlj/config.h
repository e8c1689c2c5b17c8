/* Build configuration of Lua 5.4 for lua_sjlj.wasm, force-included into every Lua source
 * file (clang -include config.h, see build.sh); the sources in src/ are unmodified.
 *
 * - Errors use Lua's own C path, setjmp/longjmp (shim/setjmp.h), which clang lowers
 *   Emscripten-style: pcall/error really unwind through env.invoke_* host trampolines.
 * - The module imports nothing but those env functions: no files (fopen fails), no clock
 *   (fixed seeds), and print() feeds a hash (lua_sjlj.c) instead of stdout.
 */
#ifndef LUA_SJLJ_CONFIG_H
#define LUA_SJLJ_CONFIG_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

/* lstate.h wants sig_atomic_t from <signal.h>, which wasi-libc refuses without emulation */
#define l_signalT int

#define luai_makeseed(L) 0x9E3779B9u
#define time(t) ((time_t)0)
#define l_randomizePivot() 0u

void lua_sjlj_write(const char *s, size_t l);
#define lua_writestring(s, l) lua_sjlj_write((s), (l))
#define lua_writeline() lua_sjlj_write("\n", 1)
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
