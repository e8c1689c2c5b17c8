/* Sorting without libc: merge sort (top-down, with a buffer), heap sort, a three-way
   quicksort and insertion sort for small ranges, on ints; then a checksum of the order.
   Built at -O3. Our own code. */
#include <stdint.h>

#define MAXN 4096
static int32_t a[MAXN], b[MAXN], tmp[MAXN];
static uint32_t seed;
static uint32_t rnd(void) { seed = seed * 1664525u + 1013904223u; return seed; }

static void merge_sort(int32_t *x, int lo, int hi) {
    if (hi - lo < 2) return;
    int mid = (lo + hi) / 2;
    merge_sort(x, lo, mid); merge_sort(x, mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid && j < hi) tmp[k++] = x[i] <= x[j] ? x[i++] : x[j++];
    while (i < mid) tmp[k++] = x[i++];
    while (j < hi) tmp[k++] = x[j++];
    for (k = lo; k < hi; k++) x[k] = tmp[k];
}

static void sift(int32_t *x, int i, int n) {
    for (;;) {
        int l = 2 * i + 1, m = i;
        if (l < n && x[l] > x[m]) m = l;
        if (l + 1 < n && x[l + 1] > x[m]) m = l + 1;
        if (m == i) return;
        int32_t t = x[i]; x[i] = x[m]; x[m] = t; i = m;
    }
}
static void heap_sort(int32_t *x, int n) {
    for (int i = n / 2 - 1; i >= 0; i--) sift(x, i, n);
    for (int e = n - 1; e > 0; e--) { int32_t t = x[0]; x[0] = x[e]; x[e] = t; sift(x, 0, e); }
}

static void quick(int32_t *x, int lo, int hi) {
    while (hi - lo > 12) {
        int32_t p = x[(lo + hi) / 2];
        int lt = lo, gt = hi - 1, i = lo;
        while (i <= gt) {
            if (x[i] < p) { int32_t t = x[i]; x[i++] = x[lt]; x[lt++] = t; }
            else if (x[i] > p) { int32_t t = x[i]; x[i] = x[gt]; x[gt--] = t; }
            else i++;
        }
        if (lt - lo < hi - gt) { quick(x, lo, lt); lo = gt + 1; }
        else { quick(x, gt + 1, hi); hi = lt; }
    }
    for (int i = lo + 1; i < hi; i++) {
        int32_t v = x[i]; int j = i;
        while (j > lo && x[j - 1] > v) { x[j] = x[j - 1]; j--; }
        x[j] = v;
    }
}

uint32_t run(int n) {
    seed = 42;
    uint32_t h = 0;
    int len = 64 + (n * 37) % 1000;
    for (int r = 0; r < n; r++) {
        for (int i = 0; i < len; i++) a[i] = b[i] = (int32_t)(rnd() % 10000) - 5000;
        if (r % 3 == 0) merge_sort(a, 0, len);
        else if (r % 3 == 1) heap_sort(a, len);
        else quick(a, 0, len);
        quick(b, 0, len);
        for (int i = 0; i < len; i++) h = h * 31u + (uint32_t)(a[i] ^ b[i]) + (uint32_t)a[i];
    }
    return h;
}
