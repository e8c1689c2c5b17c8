/* <setjmp.h> for wasm32-wasi under clang 14, whose wasi-libc has none. Built with
 * -mllvm -enable-emscripten-sjlj, LLVM rewrites every call to setjmp/longjmp itself
 * (into saveSetjmp/testSetjmp/emscripten_longjmp, see sjlj_runtime.c): these
 * declarations only have to exist. The first word of a jmp_buf holds the setjmp's id. */
#ifndef LUA_SJLJ_SETJMP_H
#define LUA_SJLJ_SETJMP_H
typedef unsigned long jmp_buf[8];
int setjmp(jmp_buf env);
_Noreturn void longjmp(jmp_buf env, int value);
#endif
