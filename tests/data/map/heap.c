// A small C program for `wasmem map`: static data, a few heap blocks, one freed.
// Build: clang --target=wasm32-wasi --sysroot=SYSROOT -O1 -Wl,--strip-debug -Wl,--export=__heap_base
//        -Wl,--export=__data_end -o heap.wasm heap.c
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char greeting[] = "hello from the data segment";
char *kept[4];

int main(void) {
    for (int i = 0; i < 4; i++) {
        kept[i] = malloc(100 * (i + 1));
        memset(kept[i], 'A' + i, 100 * (i + 1));
    }
    free(kept[1]);
    kept[1] = NULL;
    printf("%s\n", greeting);
    return 0;
}
