/* binary trees in a static pool: build, recursive walks (sum, height, mirror, count).
   Our own code, written for bench/recursion.md (same license as wasmem). */
struct node { int l, r, v; };
static struct node pool[1 << 15];
static int used;
static int build(int d, int v) {
    int t = used++;
    pool[t].v = v;
    if (d > 0) { pool[t].l = build(d - 1, v * 3 + 1); pool[t].r = build(d - 2 > 0 ? d - 2 : 0, v ^ 5); }
    else pool[t].l = pool[t].r = -1;
    return t;
}
static unsigned sum(int t) { return t < 0 ? 0 : (unsigned)pool[t].v + sum(pool[t].l) * 7u + sum(pool[t].r); }
static int height(int t) { if (t < 0) return 0; int a = height(pool[t].l), b = height(pool[t].r); return 1 + (a > b ? a : b); }
static void mirror(int t) { if (t < 0) return; int x = pool[t].l; pool[t].l = pool[t].r; pool[t].r = x; mirror(pool[t].l); mirror(pool[t].r); }
static int count(int t, int lo) { if (t < 0) return 0; return (pool[t].v > lo) + count(pool[t].l, lo) + count(pool[t].r, lo); }
unsigned run(int n) {
    unsigned h = 0;
    for (int i = 0; i < n; i++) {
        used = 0; int t = build(12 + i % 3, i);
        h = h * 31u + sum(t); mirror(t); h = h * 31u + sum(t);
        h = h * 31u + (unsigned)height(t) + (unsigned)count(t, 1000);
    }
    return h;
}
