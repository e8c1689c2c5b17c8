/* Linked with -Wl,--wrap=malloc,... : every malloc/free/realloc/calloc of the program
   (libc's own calls included) is reported to the host as trace(op, pointer, size, old)
   before it returns. op: 0 malloc, 1 free, 2 realloc, 3 calloc. */
#include <stddef.h>

__attribute__((import_module("trace"), import_name("record")))
void record(int op, void *pointer, size_t size, void *old);

void *__real_malloc(size_t);
void __real_free(void *);
void *__real_realloc(void *, size_t);
void *__real_calloc(size_t, size_t);

void *__wrap_malloc(size_t size) { void *p = __real_malloc(size); record(0, p, size, 0); return p; }
void __wrap_free(void *p) { if (p) record(1, 0, 0, p); __real_free(p); }
void *__wrap_realloc(void *old, size_t size) {
    void *p = __real_realloc(old, size);
    record(2, p, size, old);
    return p;
}
void *__wrap_calloc(size_t n, size_t size) {
    void *p = __real_calloc(n, size);
    record(3, p, n * size, 0);
    return p;
}
