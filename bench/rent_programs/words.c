/* String building: sentences assembled with strcpy/strcat/memmove into a growing
   realloc'ed buffer, split into words, words reversed and sorted with qsort(strcmp),
   duplicates counted. Written for bench/tiering.md (helper policy7); public domain. */
#include <stdlib.h>
#include <string.h>

static unsigned seed = 99;
static unsigned rnd(void) { seed = seed * 22695477u + 1u; return seed >> 10; }
static const char *syl[] = {"ka", "lo", "mi", "ne", "ru", "sha", "to", "vi", "zen", "qu"};

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

unsigned run(int n) {
    size_t cap = 64, len = 0;
    char *text = malloc(cap);
    text[0] = 0;
    int words = 40 * n;
    for (int w = 0; w < words; w++) {
        char word[32] = "";
        int k = 1 + (int)(rnd() % 3);
        for (int s = 0; s < k; s++) strcat(word, syl[rnd() % 10]);
        size_t wl = strlen(word);
        if (len + wl + 2 > cap) { cap *= 2; text = realloc(text, cap); }
        memcpy(text + len, word, wl);
        len += wl;
        text[len++] = ' ';
        text[len] = 0;
    }
    char **list = malloc(sizeof(char *) * (size_t)words);
    int count = 0;
    for (char *p = text; *p;) {
        char *e = strchr(p, ' ');
        size_t wl = (size_t)(e - p);
        char *copy = malloc(wl + 1);
        for (size_t i = 0; i < wl; i++) copy[i] = p[wl - 1 - i];
        copy[wl] = 0;
        list[count++] = copy;
        p = e + 1;
    }
    qsort(list, (size_t)count, sizeof *list, cmp);
    unsigned h = 0, distinct = 0;
    for (int i = 0; i < count; i++) {
        if (i == 0 || strcmp(list[i], list[i - 1])) distinct++;
        h = h * 31u + (unsigned)strlen(list[i]) + (unsigned char)list[i][0];
        free(list[i]);
    }
    free(list);
    free(text);
    return h ^ distinct;
}
