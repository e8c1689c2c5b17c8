/* A string table that grows by realloc and a hash set of duplicated words, built from a
   generated text; then every third word is removed. Exercises small chunks, smallbins and
   realloc growth. Reactor: run(seed, words) then the host reads the figures. */
#include <stdlib.h>
#include <string.h>

struct entry { struct entry *next; char *word; unsigned count; };
static struct entry *table[257];
static char **list;
static unsigned list_length, list_capacity;
static unsigned state;

static unsigned next(void) { state = state * 1664525u + 1013904223u; return state >> 9; }

static void add(const char *word) {
    unsigned h = 5381;
    for (const char *c = word; *c; c++) h = h * 33 + (unsigned char)*c;
    struct entry **slot = &table[h % 257];
    for (struct entry *e = *slot; e; e = e->next)
        if (strcmp(e->word, word) == 0) { e->count++; return; }
    struct entry *e = malloc(sizeof *e);
    e->word = strdup(word);
    e->count = 1;
    e->next = *slot;
    *slot = e;
    if (list_length == list_capacity) {
        list_capacity = list_capacity ? list_capacity * 2 : 4;
        list = realloc(list, list_capacity * sizeof *list);
    }
    list[list_length++] = e->word;
}

__attribute__((export_name("run")))
unsigned run(unsigned seed, int words) {
    char buffer[40];
    state = seed;
    for (int i = 0; i < words; i++) {
        unsigned length = 1 + next() % 12 + (next() % 16 == 0 ? next() % 25 : 0);
        for (unsigned j = 0; j < length; j++) buffer[j] = 'a' + next() % 6;
        buffer[length] = 0;
        add(buffer);
    }
    unsigned removed = 0;
    for (int b = 0; b < 257; b++) {
        struct entry **link = &table[b];
        while (*link) {
            struct entry *e = *link;
            if (next() % 3 == 0) { *link = e->next; free(e->word); free(e); removed++; }
            else link = &e->next;
        }
    }
    return removed;
}
