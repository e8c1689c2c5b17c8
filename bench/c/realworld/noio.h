/* Force-included (clang -include noio.h) into the libraries that write to stdio only on
   fatal or debugging paths (messages before abort() on out-of-memory or internal errors,
   leak and memory dumps) or read FILEs in functions the drivers never call (e.g.
   cmark_parse_file): those writes and reads become no-ops, so that wasi-libc's stdio
   streams -- and with them the WASI imports fd_write, fd_seek, fd_close -- are not linked
   and the modules run without a host. abort() still traps. */
#include <stdio.h>
#undef stderr
#undef stdout
#define stderr ((FILE *)0)
#define stdout ((FILE *)0)
#define fprintf(stream, ...) ((void)(stream), 0)
#define vfprintf(stream, ...) ((void)(stream), 0)
#define printf(...) 0
#define putchar(c) ((void)(c), 0)
#define fputs(text, stream) ((void)(text), (void)(stream), 0)
#define fputc(c, stream) ((void)(c), (void)(stream), 0)
#define putc(c, stream) ((void)(c), (void)(stream), 0)
#define fwrite(buffer, size, count, stream) ((void)(buffer), (void)(stream), (size_t)(count))
#define fflush(stream) ((void)(stream), 0)
#define fread(buffer, size, count, stream) ((void)(buffer), (void)(stream), (size_t)0)
