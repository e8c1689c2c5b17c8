/* greet.c: greets each argument and keeps the greetings on the heap, in a linked list,
   so that the host can read them after the program has run (see docs/wasi.md).
   Build: sh build-greet.sh */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct greeting {
    char name[16];
    int length;
    struct greeting *next;
};

static struct greeting *first = NULL;

/* The address of the first greeting: exported so the host can walk the list. */
__attribute__((export_name("first_greeting")))
struct greeting *first_greeting(void) { return first; }

int main(int argc, char **argv) {
    struct greeting **tail = &first;
    for (int i = 1; i < argc; i++) {
        struct greeting *g = calloc(1, sizeof *g);
        if (g == NULL)
            return 1;
        strncpy(g->name, argv[i], sizeof g->name - 1);
        g->length = (int)strlen(g->name);
        *tail = g;
        tail = &g->next;
        printf("Hello, %s!\n", g->name);
    }
    const char *greeter = getenv("GREETER");
    if (greeter != NULL)
        printf("-- %s\n", greeter);
    return argc > 1 ? 0 : 2;
}
