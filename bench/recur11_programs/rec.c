/* Recursion the way people write it (helper recur11, bench/STARTUP.md): tak, mutual
   recursion, recursive quicksort over a static array, recursive descent over an expression
   string, gcd. Our own code. */
static int tak(int x, int y, int z) { return y < x ? tak(tak(x-1,y,z), tak(y-1,z,x), tak(z-1,x,y)) : z; }
static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static int arr[512];
static void qs(int *a, int lo, int hi) {
    if (lo >= hi) return;
    int p = a[(lo + hi) / 2], i = lo, j = hi;
    while (i <= j) {
        while (a[i] < p) i++;
        while (a[j] > p) j--;
        if (i <= j) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    qs(a, lo, j); qs(a, i, hi);
}
static const char *src; 
static int expr(void);
static int atom(void) {
    if (*src == '(') { src++; int v = expr(); src++; return v; }
    int v = 0; while (*src >= '0' && *src <= '9') v = v * 10 + (*src++ - '0'); return v;
}
static int term(void) { int v = atom(); while (*src == '*') { src++; v *= atom(); } return v; }
static int expr(void) { int v = term(); while (*src == '+' || *src == '-') { char o = *src++; int w = term(); v = o == '+' ? v + w : v - w; } return v; }
static unsigned gcd(unsigned a, unsigned b) { return b ? gcd(b, a % b) : a; }
__attribute__((export_name("run"))) unsigned run(int n) {
    unsigned h = 0; unsigned seed = 12345;
    for (int k = 0; k < n; k++) {
        h = h * 31 + tak(12 + k % 3, 8, 4);
        h = h * 31 + is_even(500 + k);
        for (int i = 0; i < 512; i++) { seed = seed * 1103515245u + 12345u; arr[i] = (int)(seed >> 8) % 10000; }
        qs(arr, 0, 511);
        h = h * 31 + arr[0] + arr[511] + arr[256];
        src = "((12+34)*5-(6*7+8))*(9+10*11)-((1+2)*(3+4)+5)*6+7";
        h = h * 31 + expr();
        for (unsigned i = 1; i < 200; i++) h += gcd(i * 7919u + k, 104729u);
    }
    return h;
}
