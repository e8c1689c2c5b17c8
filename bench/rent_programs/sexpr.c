/* A recursive-descent reader of generated s-expressions into malloc'ed cons cells,
   a recursive evaluator (+ * - max), then free. Written for bench/tiering.md (helper
   policy7); public domain. */
#include <stdlib.h>
#include <string.h>

typedef struct cell { int kind; long v; struct cell *car, *cdr; } cell;
static unsigned seed = 7;
static unsigned rnd(void) { seed = seed * 1664525u + 1013904223u; return seed >> 9; }

static char *gen(char *out, int depth) {
    if (depth == 0 || rnd() % 4 == 0) {
        int v = (int)(rnd() % 1000);
        char tmp[12]; int k = 0;
        do { tmp[k++] = (char)('0' + v % 10); v /= 10; } while (v);
        while (k) *out++ = tmp[--k];
        return out;
    }
    static const char ops[] = "+*-m";
    *out++ = '('; *out++ = ops[rnd() % 4];
    int n = 2 + (int)(rnd() % 3);
    for (int i = 0; i < n; i++) { *out++ = ' '; out = gen(out, depth - 1); }
    *out++ = ')';
    return out;
}

static const char *src;
static cell *mk(int kind, long v) {
    cell *c = malloc(sizeof *c);
    c->kind = kind; c->v = v; c->car = c->cdr = 0;
    return c;
}
static cell *read(void) {
    while (*src == ' ') src++;
    if (*src == '(') {
        src++;
        cell *head = mk(1, *src++), **tail = &head->car;
        for (;;) {
            while (*src == ' ') src++;
            if (*src == ')') { src++; break; }
            cell *item = read();
            cell *link = mk(2, 0);
            link->car = item; *tail = link; tail = &link->cdr;
        }
        return head;
    }
    long v = 0;
    while (*src >= '0' && *src <= '9') v = v * 10 + (*src++ - '0');
    return mk(0, v);
}
static long eval(cell *c) {
    if (c->kind == 0) return c->v;
    cell *l = c->car;
    long acc = eval(l->car);
    for (l = l->cdr; l; l = l->cdr) {
        long x = eval(l->car);
        switch (c->v) {
        case '+': acc += x; break;
        case '*': acc = (acc * x) % 1000003; break;
        case '-': acc -= x; break;
        default: if (x > acc) acc = x;
        }
    }
    return acc;
}
static void drop(cell *c) {
    if (!c) return;
    if (c->kind) { drop(c->car); drop(c->cdr); }
    free(c);
}

unsigned run(int n) {
    unsigned h = 0;
    char *buf = malloc(1 << 16);
    for (int i = 0; i < n; i++) {
        char *end = gen(buf, 6);
        *end = 0;
        src = buf;
        cell *c = read();
        h = h * 31u + (unsigned)eval(c) + (unsigned)strlen(buf);
        drop(c);
    }
    free(buf);
    return h;
}
