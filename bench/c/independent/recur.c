/* Recursion: naive fib, Ackermann, binary trees built with malloc and walked recursively,
   and a recursive permutation count (N-queens). Built at -O1. Our own code. */
#include <stdlib.h>

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int ack(int m, int n) {
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

struct tree { struct tree *l, *r; int v; };

static struct tree *build(int depth, int v) {
    struct tree *t = malloc(sizeof *t);
    t->v = v;
    if (depth > 0) {
        t->l = build(depth - 1, 2 * v);
        t->r = build(depth - 1, 2 * v + 1);
    } else {
        t->l = t->r = 0;
    }
    return t;
}

static unsigned check(struct tree *t) {
    if (!t->l) return (unsigned)t->v;
    return (unsigned)t->v + 3u * check(t->l) - check(t->r);
}

static void drop(struct tree *t) {
    if (t->l) { drop(t->l); drop(t->r); }
    free(t);
}

static int queens(int row, int n, unsigned cols, unsigned d1, unsigned d2) {
    if (row == n) return 1;
    int count = 0;
    for (int c = 0; c < n; c++) {
        unsigned a = 1u << c, b = 1u << (row + c), e = 1u << (row - c + n);
        if ((cols & a) || (d1 & b) || (d2 & e)) continue;
        count += queens(row + 1, n, cols | a, d1 | b, d2 | e);
    }
    return count;
}

unsigned run(int n) {
    unsigned h = 0;
    for (int i = 0; i < n; i++) {
        h = h * 31u + (unsigned)fib(14 + i % 4);
        h = h * 31u + (unsigned)ack(2, 20 + i % 7);
        struct tree *t = build(8 + i % 3, i);
        h = h * 31u + check(t);
        drop(t);
        h = h * 31u + (unsigned)queens(0, 6 + i % 2, 0, 0, 0);
    }
    return h;
}
