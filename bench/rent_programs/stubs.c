/* WASI calls the programs never make, defined so the modules have no imports. */
#include <stdint.h>
int32_t __imported_wasi_snapshot_preview1_fd_write(int32_t a, int32_t b, int32_t c, int32_t d) { return 52; }
int32_t __imported_wasi_snapshot_preview1_fd_close(int32_t a) { return 52; }
int32_t __imported_wasi_snapshot_preview1_fd_seek(int32_t a, int64_t b, int32_t c, int32_t d) { return 52; }
int32_t __imported_wasi_snapshot_preview1_fd_fdstat_get(int32_t a, int32_t b) { return 52; }
void __imported_wasi_snapshot_preview1_proc_exit(int32_t a) { __builtin_trap(); }
