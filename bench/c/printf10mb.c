/* WASI benchmark: writes 10 MiB (163,840 lines of 64 bytes) to stdout through printf,
 * then the number of lines and bytes to stderr. The first argument is the number of
 * lines (default 163840). The runner checks a hash of what reached stdout.
 * Rebuilt by build.sh. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const char *words[] = {"linear", "memory", "page", "grow", "load", "store",
                              "stack", "heap", "table", "global"};

int main(int argc, char **argv) {
    long lines = argc > 1 ? atol(argv[1]) : 163840;
    for (long i = 0; i < lines; i++) {
        uint32_t mixed = (uint32_t)i * 2654435761u;
        /* 8 + 1 + 8 + 1 + 45 + 1 = 64 bytes */
        printf("%08ld %08x %-45s\n", i, mixed, words[mixed % 10]);
    }
    fflush(stdout);
    fprintf(stderr, "lines %ld bytes %ld\n", lines, lines * 64);
    return 0;
}
