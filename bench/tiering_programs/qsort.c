/* qsort with a comparison callback through call_indirect, wasi-libc (bench/tiering.py). */
#include <stdlib.h>
#include <stdint.h>
static uint32_t values[2000];
static int cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}
__attribute__((export_name("run"))) uint32_t run(uint32_t rounds) {
    uint32_t seed = 1, total = 0;
    for (uint32_t r = 0; r < rounds; r++) {
        for (int i = 0; i < 200; i++) { seed = seed * 1664525u + 1013904223u; values[i] = seed; }
        qsort(values, 200, sizeof values[0], cmp);
        total += values[r % 200];
    }
    return total;
}
