/* sortcopy: libc's qsort, bsearch, memcpy, memmove and memset on arrays of 16-byte
 * records. Per round: fill records from a generator, qsort them by (key, id) with a
 * comparator called through a function pointer (call_indirect), bsearch probes, memmove
 * to open and close a gap (overlapping), memcpy of the sorted array into a second buffer,
 * memset of a scratch area, and a qsort of plain ints in descending order.
 * run(n) does n rounds of 100 + n % 300 records and returns a checksum. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t key;
    uint32_t id;
    uint32_t payload[2];
} Record;

static uint32_t state;

static uint32_t next_random(void) {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
}

static int by_key(const void *a, const void *b) {
    const Record *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static int descending(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x < y) - (x > y);
}

__attribute__((export_name("run")))
uint32_t run(int n) {
    uint32_t count = 100 + (uint32_t)n % 300, checksum = 0;
    Record *records = malloc((count + 8) * sizeof(Record));
    Record *copy = malloc((count + 8) * sizeof(Record));
    int32_t *ints = malloc(count * sizeof(int32_t));
    uint8_t *scratch = malloc(4096);
    state = 2024;
    for (int round = 0; round < n; round++) {
        for (uint32_t i = 0; i < count; i++) {
            records[i].key = next_random() % 1000;
            records[i].id = i;
            records[i].payload[0] = next_random();
            records[i].payload[1] = i * 3u;
            ints[i] = (int32_t)(next_random() - (1u << 23));
        }
        qsort(records, count, sizeof(Record), by_key);
        for (int k = 0; k < 16; k++) {
            Record probe = {next_random() % 1000, 0, {0, 0}};
            /* find any record with this key: compare on keys only */
            uint32_t lo = 0, hi = count;
            while (lo < hi) {
                uint32_t mid = (lo + hi) / 2;
                if (records[mid].key < probe.key) lo = mid + 1; else hi = mid;
            }
            checksum += lo < count && records[lo].key == probe.key ? records[lo].id : 7;
            Record exact = records[(uint32_t)k * 13 % count];
            Record *found = bsearch(&exact, records, count, sizeof(Record), by_key);
            checksum += found ? (uint32_t)(found - records) : 0xffff;
        }
        uint32_t gap = 1 + (uint32_t)round % 8, at = (uint32_t)round % count;
        memmove(records + at + gap, records + at, (count - at) * sizeof(Record));
        memset(records + at, 0, gap * sizeof(Record));
        checksum += records[at + gap].payload[0] + records[count + gap - 1].id;
        memmove(records + at, records + at + gap, (count - at) * sizeof(Record));
        memcpy(copy, records, count * sizeof(Record));
        for (uint32_t i = 0; i < count; i += 17) checksum = checksum * 31u + copy[i].payload[0];
        memset(scratch, round & 255, 4096);
        memcpy(scratch + 100, copy, 64);
        checksum += scratch[4095] + scratch[100];
        qsort(ints, count, sizeof(int32_t), descending);
        checksum = checksum * 17u + (uint32_t)ints[0] + (uint32_t)ints[count / 2];
    }
    free(records);
    free(copy);
    free(ints);
    free(scratch);
    return checksum;
}
