/* A C workload for the benchmark suite: malloc/free churn, qsort and memcpy.
 * Built with clang for wasm32-wasi (no imports: no stdio), see build.sh. */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint32_t state = 12345u;
static uint32_t next_random(void) {
    state = state * 1103515245u + 12345u;
    return state >> 8;
}

static int compare_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* run(n): n rounds of allocate-fill-sort-copy-free; returns a checksum. */
__attribute__((export_name("run")))
uint32_t run(uint32_t n) {
    uint32_t checksum = 0;
    void *slots[64] = {0};
    for (uint32_t round = 0; round < n; round++) {
        uint32_t count = 16 + next_random() % 240;
        uint32_t *values = malloc(count * sizeof *values);
        for (uint32_t i = 0; i < count; i++) values[i] = next_random();
        qsort(values, count, sizeof *values, compare_u32);
        uint32_t slot = next_random() % 64;
        free(slots[slot]);
        slots[slot] = malloc(count * sizeof *values);
        memcpy(slots[slot], values, count * sizeof *values);
        checksum = checksum * 31u + values[count / 2] + ((uint32_t *)slots[slot])[0];
        free(values);
    }
    for (int i = 0; i < 64; i++) free(slots[i]);
    return checksum;
}
