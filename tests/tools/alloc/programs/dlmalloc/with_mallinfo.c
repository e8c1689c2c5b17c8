/* wasi-libc's dlmalloc configuration (dlmalloc/src/dlmalloc.c at 9886d3d), with mallinfo.
   See README.md. Our own file; the configuration values are wasi-libc's. */
#include <stddef.h>
#include <malloc.h>

#define HAVE_MMAP 0
#define MORECORE_CANNOT_TRIM 1
#define ABORT __builtin_unreachable()
#define LACKS_TIME_H 1
#define NO_MALLOC_STATS 1
#define MALLOC_ALIGNMENT 16
extern const int __ENOMEM;
#define ENOMEM __ENOMEM
extern const int __EINVAL;
#define EINVAL __EINVAL
#define USE_DL_PREFIX 1
#define DLMALLOC_EXPORT static inline

static size_t dlmalloc_usable_size(void *);

#include "malloc.c"

void *malloc(size_t size) { return dlmalloc(size); }
void free(void *pointer) { dlfree(pointer); }
void *calloc(size_t count, size_t size) { return dlcalloc(count, size); }
void *realloc(void *pointer, size_t size) { return dlrealloc(pointer, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    return dlposix_memalign(out, alignment, size);
}
void *aligned_alloc(size_t alignment, size_t size) { return dlmemalign(alignment, size); }
size_t malloc_usable_size(void *pointer) { return dlmalloc_usable_size(pointer); }
void *__libc_malloc(size_t) __attribute__((alias("malloc")));
void __libc_free(void *) __attribute__((alias("free")));
void *__libc_calloc(size_t, size_t) __attribute__((alias("calloc")));

/* dlmalloc's own statistics: 0 arena, 1 uordblks (in use), 2 fordblks (free),
   3 ordblks (free chunks), 4 keepcost (top), 5 usmblks (max footprint). */
__attribute__((export_name("mallinfo_figure")))
size_t mallinfo_figure(int which) {
    struct mallinfo info = dlmallinfo();
    switch (which) {
    case 0: return info.arena;
    case 1: return info.uordblks;
    case 2: return info.fordblks;
    case 3: return info.ordblks;
    case 4: return info.keepcost;
    default: return info.usmblks;
    }
}
