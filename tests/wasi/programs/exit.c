/* exit codes: the first argument says how main ends.
 *   exit N     printf without a newline, then exit(N): stdio is flushed
 *   return N   return N from main
 *   _Exit N    printf without a newline, then _Exit(N): the buffered text is lost
 *   abort      abort(): a trap (WebAssembly `unreachable`)
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *how = argc > 1 ? argv[1] : "return";
    int code = argc > 2 ? atoi(argv[2]) : 0;
    fprintf(stderr, "how=%s code=%d\n", how, code);
    if (strcmp(how, "exit") == 0) {
        printf("flushed by exit");
        exit(code);
    }
    if (strcmp(how, "_Exit") == 0) {
        printf("lost in the stdio buffer");
        _Exit(code);
    }
    if (strcmp(how, "abort") == 0) {
        printf("before abort\n");
        fflush(stdout);
        abort();
    }
    printf("returned\n");
    return code;
}
