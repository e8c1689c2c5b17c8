/* The C half of Emscripten-style setjmp/longjmp, for code built by clang 14 with
 * -mllvm -enable-emscripten-sjlj (the host half, the env.invoke_* trampolines and
 * env.emscripten_longjmp, is wasmem.emscripten).
 *
 * How LLVM 14 lowers it: a function that calls setjmp keeps a table of (id, label)
 * pairs, allocated with malloc; setjmp becomes saveSetjmp(env, label, table, size),
 * which numbers the jmp_buf and records its label (growing the table, whose new size
 * comes back through getTempRet0). Every call such a function makes that may longjmp
 * goes through env.invoke_<sig>(table index, args...), after which the caller reads
 * __THREW__ (the jmp_buf a longjmp targets, 0 when none) and __threwValue; if the
 * jmp_buf is one of its own (testSetjmp gives its label) it resumes there, otherwise
 * it passes the longjmp on with emscripten_longjmp. The host's emscripten_longjmp
 * records the target with setThrew and throws to the nearest invoke_* trampoline. */
#include <stdint.h>
#include <stdlib.h>

uintptr_t __THREW__ = 0;
int __threwValue = 0;

__attribute__((import_module("env"), import_name("setTempRet0"))) void setTempRet0(uint32_t);

/* Records a longjmp (target jmp_buf, value) unless one is already pending. */
__attribute__((export_name("setThrew"))) void setThrew(uintptr_t threw, int value) {
    if (__THREW__ == 0) {
        __THREW__ = threw;
        __threwValue = value;
    }
}

typedef struct {
    uint32_t id;
    uint32_t label;
} SetjmpEntry;

static uint32_t last_setjmp_id = 0;

SetjmpEntry *saveSetjmp(uint32_t *env, uint32_t label, SetjmpEntry *table, uint32_t size) {
    *env = ++last_setjmp_id;
    for (;;) {
        for (uint32_t i = 0; i < size; i++) {
            if (table[i].id == 0) {
                table[i].id = *env;
                table[i].label = label;
                table[i + 1].id = 0; /* the table always ends with an empty entry */
                setTempRet0(size);
                return table;
            }
        }
        size *= 2;
        table = realloc(table, sizeof(SetjmpEntry) * (size + 1));
        if (table == NULL) abort();
    }
}

uint32_t testSetjmp(uint32_t id, SetjmpEntry *table, uint32_t size) {
    (void)size;
    for (uint32_t i = 0; table[i].id != 0; i++) {
        if (table[i].id == id) return table[i].label;
    }
    return 0;
}
