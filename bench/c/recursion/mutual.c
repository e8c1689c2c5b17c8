/* mutual recursion and call-heavy recursion: Hofstadter F/M, is_even/is_odd, tak, ackermann.
   Our own code, written for bench/recursion.md (same license as wasmem). */
static int M(int n);
static int F(int n) { return n == 0 ? 1 : n - M(F(n - 1)); }
static int M(int n) { return n == 0 ? 0 : n - F(M(n - 1)); }
static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static int tak(int x, int y, int z) { return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z; }
static int ack(int m, int n) { return m == 0 ? n + 1 : n == 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1)); }
unsigned run(int n) {
    unsigned h = 0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < 30; k++) h = h * 31u + (unsigned)F(k + i % 3) + (unsigned)M(k);
        h = h * 31u + (unsigned)is_even(300 + i);
        h = h * 31u + (unsigned)tak(12 + i % 2, 8, 4);
        h = h * 31u + (unsigned)ack(2, 30 + i % 5);
    }
    return h;
}
