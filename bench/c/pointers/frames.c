/* Frame and pointer accesses as C programs make them (written for wasmem's bench/codegen.md,
 * section "frame8"): structures on the stack passed by address, arrays of structures
 * walked through pointers, counters bumped through pointers (p->n += 1), fields packed
 * without padding (unaligned members), and (int) casts of doubles, which clang guards with
 * its own range test. Build:
 *   clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -nostartfiles -Wl,--no-entry \
 *       -Wl,--export=run -o frames.wasm frames.c
 * run(n) returns a checksum (the same on every engine). Public domain. */
#include <stdint.h>
#include <string.h>

struct point { int32_t x, y; double w; };
struct stats { uint32_t count; uint32_t sum; int64_t total; uint16_t low, high; };
struct __attribute__((packed)) record { uint8_t tag; uint32_t key; uint16_t len; uint64_t stamp; };

static struct point points[256];
static struct record records[128];

__attribute__((noinline)) static void accumulate(struct stats *s, const struct point *p) {
    s->count += 1;
    s->sum += (uint32_t)(p->x * 3 + p->y);
    s->total += (int64_t)p->w;
    if ((uint16_t)p->x < s->low) s->low = (uint16_t)p->x;
    if ((uint16_t)p->y > s->high) s->high = (uint16_t)p->y;
}

__attribute__((noinline)) static uint32_t scale(struct point *out, const struct point *in, int k) {
    struct point tmp = *in;         /* a structure on the stack */
    tmp.x = tmp.x * k + 1;
    tmp.y = tmp.y - k;
    tmp.w = tmp.w * 0.75 + k;
    *out = tmp;
    return (uint32_t)(int)(tmp.w / 3.0) ^ (uint32_t)tmp.x;
}

__attribute__((noinline)) static uint64_t packed_pass(struct record *r, int n, uint32_t seed) {
    uint64_t h = seed;
    for (int i = 0; i < n; i++) {
        r[i].key = r[i].key * 2654435761u + seed;
        r[i].len = (uint16_t)(r[i].len + r[i].tag);
        r[i].stamp += r[i].key;
        h = (h ^ r[i].stamp) * 1099511628211ull;
    }
    return h;
}

uint32_t run(int n) {
    uint32_t check = 0;
    for (int i = 0; i < 256; i++) {
        points[i].x = i * 7 - 300;
        points[i].y = (i * 13) & 255;
        points[i].w = i * 1.25 - 100.0;
    }
    for (int i = 0; i < 128; i++) {
        records[i].tag = (uint8_t)i;
        records[i].key = (uint32_t)i * 77u;
        records[i].len = (uint16_t)(i * 3);
        records[i].stamp = (uint64_t)i << 20;
    }
    for (int round = 0; round < n; round++) {
        struct stats s;             /* on the stack, passed by address */
        memset(&s, 0, sizeof s);
        s.low = 0xFFFF;
        struct point scaled[8];     /* an array of structures on the stack */
        for (int i = 0; i < 256; i++) {
            accumulate(&s, &points[i]);
            check += scale(&scaled[i & 7], &points[(i * 5) & 255], round + 1);
        }
        for (int j = 0; j < 8; j++)
            check += (uint32_t)scaled[j].x + (uint32_t)(int)scaled[j].w;
        check += s.count + s.sum + (uint32_t)s.total + s.low + s.high;
        check += (uint32_t)packed_pass(records, 128, check);
    }
    return check;
}
