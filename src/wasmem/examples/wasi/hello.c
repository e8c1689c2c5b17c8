/* hello: a WASI program whose memory is worth a look. It prints a greeting, keeps a copy
 * of it and a small table of squares on the heap (malloc), and leaves both there:
 * `docs/wasi-programs.md` runs it in wasmem and then reads them back out of the linear
 * memory. Rebuilt by tests/wasi/programs/build.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct table {
    char tag[8];     /* "squares" and its NUL */
    int count;
    int values[];    /* count squares */
};

struct table *squares;  /* a global: its address is in the data section */
char *greeting;

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "WebAssembly";
    size_t length = strlen("Hello, ") + strlen(name) + strlen("!") + 1;
    greeting = malloc(length);
    snprintf(greeting, length, "Hello, %s!", name);
    int count = 8;
    squares = malloc(sizeof *squares + (size_t)count * sizeof(int));
    memcpy(squares->tag, "squares", 8);
    squares->count = count;
    for (int i = 0; i < count; i++) squares->values[i] = i * i;
    printf("%s\n", greeting);
    printf("greeting at %p, squares at %p\n", (void *)greeting, (void *)squares);
    return 0;
}
