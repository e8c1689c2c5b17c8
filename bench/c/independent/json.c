/* A tiny JSON parser: recursive descent over generated documents (objects, arrays,
   numbers with fractions and exponents, strings with escapes, true/false/null) into a
   node pool, then a walk summing numbers and hashing keys. Built at -O1. Our own code. */
#include <stdint.h>

static char doc[32768];
static int pos, len;
static unsigned seed;
static unsigned rnd(void) { seed = seed * 1103515245u + 12345u; return (seed >> 16) & 0x7fff; }

static void put(const char *s) { while (*s && len < 32000) doc[len++] = *s++; }
static void put_int(int v) {
    char t[12]; int k = 0;
    if (v < 0) { doc[len++] = '-'; v = -v; }
    do { t[k++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (k) doc[len++] = t[--k];
}
static void gen(int depth) {
    int kind = depth > 3 ? (int)(rnd() % 4) : (int)(rnd() % 6);
    switch (kind) {
    case 0: put_int((int)rnd() - 16000); if (rnd() % 2) { put(".25e"); put_int((int)(rnd() % 3)); } break;
    case 1: put("\"s\\n"); put_int((int)rnd()); put("\\\"x\""); break;
    case 2: put(rnd() % 2 ? "true" : "null"); break;
    case 3: put("false"); break;
    case 4: {
        put("[");
        int n = (int)(rnd() % 5);
        for (int i = 0; i < n; i++) { if (i) put(", "); gen(depth + 1); }
        put("]"); break;
    }
    default: {
        put("{");
        int n = (int)(rnd() % 5);
        for (int i = 0; i < n; i++) { if (i) put(",\n "); put("\"k"); put_int((int)(rnd() % 50)); put("\": "); gen(depth + 1); }
        put("}"); break;
    }
    }
}

struct node { int kind; double num; uint32_t keyhash; int first, next; };
static struct node pool[8192];
static int npool;

static void ws(void) { while (doc[pos] == ' ' || doc[pos] == '\n' || doc[pos] == '\t') pos++; }
static uint32_t string(void) {
    uint32_t h = 2166136261u;
    pos++;
    while (doc[pos] != '"') {
        char c = doc[pos++];
        if (c == '\\') { c = doc[pos++]; c = c == 'n' ? '\n' : c; }
        h = (h ^ (uint8_t)c) * 16777619u;
    }
    pos++;
    return h;
}
static int value(void);
static int number(void) {
    int neg = doc[pos] == '-'; if (neg) pos++;
    double v = 0;
    while (doc[pos] >= '0' && doc[pos] <= '9') v = v * 10 + (doc[pos++] - '0');
    if (doc[pos] == '.') { double f = 0.1; pos++; while (doc[pos] >= '0' && doc[pos] <= '9') { v += f * (doc[pos++] - '0'); f *= 0.1; } }
    if (doc[pos] == 'e' || doc[pos] == 'E') { pos++; int e = 0; while (doc[pos] >= '0' && doc[pos] <= '9') e = e * 10 + doc[pos++] - '0'; while (e--) v *= 10; }
    int k = npool++; pool[k].kind = 1; pool[k].num = neg ? -v : v; pool[k].first = pool[k].next = -1;
    return k;
}
static int value(void) {
    ws();
    int k;
    char c = doc[pos];
    if (c == '{' || c == '[') {
        k = npool++; pool[k].kind = c == '{' ? 4 : 3; pool[k].first = pool[k].next = -1; pool[k].num = 0;
        pos++; ws();
        int last = -1;
        while (doc[pos] != '}' && doc[pos] != ']') {
            uint32_t key = 0;
            if (c == '{') { key = string(); ws(); pos++; }
            int child = value();
            pool[child].keyhash = key;
            if (last < 0) pool[k].first = child; else pool[last].next = child;
            last = child;
            ws(); if (doc[pos] == ',') { pos++; ws(); }
        }
        pos++;
    } else if (c == '"') {
        k = npool++; pool[k].kind = 2; pool[k].num = 0; pool[k].keyhash = 0; pool[k].first = pool[k].next = -1;
        pool[k].num = string() & 0xff;
    } else if (c == 't' || c == 'f' || c == 'n') {
        k = npool++; pool[k].kind = 5; pool[k].num = c == 't'; pool[k].first = pool[k].next = -1;
        pos += c == 'f' ? 5 : 4;
    } else k = number();
    return k;
}
static double walk(int k, uint32_t *h) {
    double s = pool[k].num;
    *h = (*h ^ pool[k].keyhash) * 31u + (uint32_t)pool[k].kind;
    for (int c = pool[k].first; c >= 0; c = pool[c].next) s += walk(c, h);
    return s;
}

uint32_t run(int n) {
    uint32_t h = 0;
    for (int r = 0; r < n; r++) {
        seed = (unsigned)r * 2654435761u + 1; len = 0;
        put("["); for (int i = 0; i < 8; i++) { if (i) put(","); gen(0); } put("]");
        doc[len] = 0;
        pos = 0; npool = 0;
        int root = value();
        double s = walk(root, &h);
        h = h * 17u + (uint32_t)(int64_t)(s * 4.0) + (uint32_t)npool;
    }
    return h;
}
