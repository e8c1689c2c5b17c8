/* argv: the count, every argument with its length in bytes.
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d] %zu [%s]\n", i, strlen(argv[i]), argv[i]);
    printf("argv[argc] %s\n", argv[argc] == NULL ? "NULL" : "not NULL");
    return 0;
}
