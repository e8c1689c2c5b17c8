/* Empty stand-in for <setjmp.h>, which wasi-libc under clang-14 does not provide: ldo.c
 * includes it, but with LUAI_THROW/LUAI_TRY from wasm_config.h it uses nothing from it. */
