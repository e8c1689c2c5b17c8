/* Function pointers: a table of small operations called through call_indirect, a
   "shape" vtable struct, and a callback-driven fold. Built at -O2. Our own code. */
#include <stdint.h>

typedef uint32_t (*op_fn)(uint32_t, uint32_t);
static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ (b * 2654435761u); }
static uint32_t op_rot(uint32_t a, uint32_t b) { return (a << (b & 31)) | (a >> ((32 - b) & 31)); }
static uint32_t op_mul(uint32_t a, uint32_t b) { return a * (b | 1); }
static uint32_t op_sub(uint32_t a, uint32_t b) { return a - (b >> 3); }
static uint32_t op_min(uint32_t a, uint32_t b) { return a < b ? a + 1 : b ^ a; }
static op_fn volatile ops[6] = {op_add, op_xor, op_rot, op_mul, op_sub, op_min};

struct shape;
struct vtable { int32_t (*area)(const struct shape *); int32_t (*perim)(const struct shape *); };
struct shape { const struct vtable *vt; int32_t a, b; };
static int32_t rect_area(const struct shape *s) { return s->a * s->b; }
static int32_t rect_perim(const struct shape *s) { return 2 * (s->a + s->b); }
static int32_t tri_area(const struct shape *s) { return s->a * s->b / 2; }
static int32_t tri_perim(const struct shape *s) { return s->a + s->b + (s->a > s->b ? s->a : s->b); }
static int32_t sq_area(const struct shape *s) { return s->a * s->a; }
static int32_t sq_perim(const struct shape *s) { return 4 * s->a; }
static const struct vtable vts[3] = {{rect_area, rect_perim}, {tri_area, tri_perim}, {sq_area, sq_perim}};

static struct shape shapes[256];

static uint32_t fold(uint32_t (*f)(uint32_t, int32_t), uint32_t acc, int n) {
    for (int i = 0; i < n; i++) acc = f(acc, shapes[i & 255].vt->area(&shapes[i & 255]));
    return acc;
}
static uint32_t mix1(uint32_t acc, int32_t v) { return acc * 31u + (uint32_t)v; }
static uint32_t mix2(uint32_t acc, int32_t v) { return (acc ^ (uint32_t)v) * 16777619u; }

uint32_t run(int n) {
    for (int i = 0; i < 256; i++) {
        shapes[i].vt = &vts[i % 3];
        shapes[i].a = i % 17 + 1;
        shapes[i].b = i % 13 + 2;
    }
    uint32_t x = 12345;
    for (int r = 0; r < n; r++) {
        for (int i = 0; i < 600; i++) x = ops[(x >> 7) % 6](x, (uint32_t)i);
        int32_t total = 0;
        for (int i = 0; i < 256; i++) total += shapes[i].vt->perim(&shapes[i]) - shapes[i].vt->area(&shapes[i]);
        x += (uint32_t)total;
        x = fold((r & 1) ? mix1 : mix2, x, 300);
    }
    return x;
}
