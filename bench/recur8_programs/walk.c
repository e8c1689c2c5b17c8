/* Recursion with allocation, written for the short-run policy (bench/tiering.md, helper
   "recur8"): a memo table of fib grown with realloc, a tagged expression tree built by
   recursion (calloc), simplified and evaluated recursively, then freed; Ackermann(2, n);
   a recursive flood fill on a grid. Our own code. */
#include <stdlib.h>
#include <string.h>

typedef struct node { int kind; long value; struct node *a, *b; } node;

static long *memo; static int memo_n;

static long mfib(int n) {
    if (n >= memo_n) {
        int grown = n * 2 + 8;
        memo = realloc(memo, sizeof *memo * (size_t)grown);
        for (int i = memo_n; i < grown; i++) memo[i] = -1;
        memo_n = grown;
    }
    if (n < 2) return n;
    if (memo[n] >= 0) return memo[n];
    return memo[n] = (mfib(n - 1) + mfib(n - 2)) % 1000000007L;
}

static node *gen(unsigned *seed, int depth) {
    node *t = calloc(1, sizeof *t);
    *seed = *seed * 1103515245u + 12345u;
    if (depth == 0 || (*seed >> 16) % 5 == 0) { t->kind = 0; t->value = (*seed >> 8) % 100; return t; }
    t->kind = 1 + (int)((*seed >> 12) % 3);
    t->a = gen(seed, depth - 1);
    t->b = gen(seed, depth - 1);
    return t;
}

static node *simplify(node *t) {
    if (t->kind == 0) return t;
    t->a = simplify(t->a); t->b = simplify(t->b);
    if (t->kind == 3 && t->a->kind == 0 && t->a->value == 0) { t->kind = 0; t->value = 0; }
    return t;
}

static long eval(node *t) {
    switch (t->kind) {
    case 0: return t->value;
    case 1: return eval(t->a) + eval(t->b);
    case 2: return eval(t->a) - eval(t->b);
    default: return (eval(t->a) * eval(t->b)) % 65521;
    }
}

static void release(node *t) { if (t->kind) { release(t->a); release(t->b); } free(t); }

static int ack(int m, int n) { return m == 0 ? n + 1 : n == 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1)); }

static char grid[24][24];
static int fill(int x, int y) {
    if (x < 0 || y < 0 || x >= 24 || y >= 24 || grid[y][x]) return 0;
    grid[y][x] = 1;
    return 1 + fill(x + 1, y) + fill(x - 1, y) + fill(x, y + 1) + fill(x, y - 1);
}

unsigned run(int n) {
    unsigned h = 7, seed = 1;
    for (int i = 0; i < n; i++) {
        h = h * 31u + (unsigned)mfib(50 + i % 300);
        node *t = simplify(gen(&seed, 9 + i % 3));
        h = h * 31u + (unsigned)eval(t);
        release(t);
        h = h * 31u + (unsigned)ack(2, 10 + i % 9);
        memset(grid, 0, sizeof grid);
        for (int k = 0; k < 24; k += 3) grid[k][(k * 7) % 24] = 1;
        h = h * 31u + (unsigned)fill(i % 24, (i * 5) % 24);
    }
    free(memo); memo = 0; memo_n = 0;
    return h;
}
