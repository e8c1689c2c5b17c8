/* recursive-descent parser and evaluator over generated arithmetic text.
   Our own code, written for bench/recursion.md (same license as wasmem). */
static char buf[8192];
static int pos;
static unsigned seed;
static int rnd(void) { seed = seed * 1103515245 + 12345; return (int)((seed >> 16) & 0x7fff); }
static int gen(int p, int depth) {
    int k = rnd() % 4;
    if (depth == 0 || k == 0) { int v = rnd() % 100; if (v >= 10) buf[p++] = '0' + v / 10; buf[p++] = '0' + v % 10; return p; }
    if (k == 1) { buf[p++] = '('; p = gen(p, depth - 1); buf[p++] = ')'; return p; }
    p = gen(p, depth - 1);
    buf[p++] = "+-*%"[rnd() % 4];
    return gen(p, depth - 1);
}
static int expr(void);
static int primary(void) {
    if (buf[pos] == '(') { pos++; int v = expr(); pos++; return v; }
    int v = 0;
    while (buf[pos] >= '0' && buf[pos] <= '9') v = v * 10 + (buf[pos++] - '0');
    return v;
}
static int term(void) {
    int v = primary();
    while (buf[pos] == '*' || buf[pos] == '%') {
        char op = buf[pos++]; int r = primary();
        if (op == '*') v = v * r; else v = r ? v % r : v;
    }
    return v;
}
static int expr(void) {
    int v = term();
    while (buf[pos] == '+' || buf[pos] == '-') {
        char op = buf[pos++]; int r = term();
        v = op == '+' ? v + r : v - r;
    }
    return v;
}
unsigned run(int n) {
    unsigned h = 0;
    for (int i = 0; i < n; i++) {
        seed = (unsigned)i; int len = gen(0, 9); buf[len] = 0;
        for (int k = 0; k < 3; k++) { pos = 0; h = h * 31u + (unsigned)expr(); }
    }
    return h;
}
