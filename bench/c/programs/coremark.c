/* coremark: a CoreMark-like mix written afresh (not EEMBC's code): per iteration, linked
 * list processing (find, reverse, merge sort of a list of records), a 16-bit integer
 * matrix (add, multiply by a constant, matrix-vector and matrix-matrix products, bit
 * extraction), a state machine scanning a text of numbers, and CRC-16 over every result.
 * run(n) runs n iterations and returns the combined CRC. */
#include <stdint.h>
#include <stddef.h>

#define LIST_SIZE 64
#define MATRIX_N 12
#define TEXT_SIZE 256

typedef struct Node {
    struct Node *next;
    int16_t data;
    int16_t index;
} Node;

static Node pool[LIST_SIZE];
static int16_t ma[MATRIX_N * MATRIX_N], mb[MATRIX_N * MATRIX_N];
static int32_t mc[MATRIX_N * MATRIX_N];
static char text[TEXT_SIZE];

static uint16_t crc_byte(uint8_t data, uint16_t crc) {
    for (int i = 0; i < 8; i++) {
        uint8_t x = (uint8_t)((data ^ crc) & 1);
        data >>= 1;
        crc = x ? (uint16_t)((crc ^ 0x4002) >> 1 | 0x8000) : (uint16_t)(crc >> 1);
    }
    return crc;
}

static uint16_t crc16(int16_t value, uint16_t crc) {
    crc = crc_byte((uint8_t)value, crc);
    return crc_byte((uint8_t)((uint16_t)value >> 8), crc);
}

static uint16_t crc32v(int32_t value, uint16_t crc) {
    crc = crc16((int16_t)value, crc);
    return crc16((int16_t)(value >> 16), crc);
}

/* ---- list ---- */
static Node *list_build(uint32_t seed) {
    Node *head = NULL;
    for (int i = LIST_SIZE - 1; i >= 0; i--) {
        seed = seed * 1103515245u + 12345u;
        pool[i].data = (int16_t)((seed >> 16) & 0x7fff);
        pool[i].index = (int16_t)i;
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}

static Node *list_find(Node *list, int16_t index) {
    while (list && list->index != index) list = list->next;
    return list;
}

static Node *list_reverse(Node *list) {
    Node *prev = NULL;
    while (list) {
        Node *next = list->next;
        list->next = prev;
        prev = list;
        list = next;
    }
    return prev;
}

static int cmp_data(const Node *a, const Node *b) {
    return a->data != b->data ? a->data - b->data : a->index - b->index;
}

static int cmp_index(const Node *a, const Node *b) { return a->index - b->index; }

/* Bottom-up merge sort of a singly linked list (no recursion, no allocation). */
static Node *list_sort(Node *list, int (*cmp)(const Node *, const Node *)) {
    for (int width = 1;; width *= 2) {
        Node *p = list, *tail = NULL;
        list = NULL;
        int merges = 0;
        while (p) {
            merges++;
            Node *q = p;
            int psize = 0, qsize = width;
            for (int i = 0; i < width && q; i++) { psize++; q = q->next; }
            while (psize > 0 || (qsize > 0 && q)) {
                Node *e;
                if (psize == 0) { e = q; q = q->next; qsize--; }
                else if (qsize == 0 || !q) { e = p; p = p->next; psize--; }
                else if (cmp(p, q) <= 0) { e = p; p = p->next; psize--; }
                else { e = q; q = q->next; qsize--; }
                if (tail) tail->next = e; else list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = NULL;
        if (merges <= 1) return list;
    }
}

static uint16_t bench_list(uint32_t seed, uint16_t crc) {
    Node *list = list_build(seed);
    for (int16_t k = 0; k < 8; k++) {
        Node *found = list_find(list, (int16_t)(k * 7 % LIST_SIZE));
        crc = crc16(found ? found->data : -1, crc);
    }
    list = list_reverse(list);
    list = list_sort(list, cmp_data);
    for (Node *p = list; p; p = p->next) crc = crc16(p->data, crc);
    list = list_sort(list, cmp_index);
    crc = crc16(list->data, crc);
    return crc16(list_reverse(list)->index, crc);
}

/* ---- matrix ---- */
static uint16_t bench_matrix(uint32_t seed, uint16_t crc) {
    const int n = MATRIX_N;
    for (int i = 0; i < n * n; i++) {
        seed = seed * 1664525u + 1013904223u;
        ma[i] = (int16_t)((seed >> 20) - 2048);
        mb[i] = (int16_t)(((seed >> 8) & 0xfff) - 2048);
    }
    int16_t val = (int16_t)(seed & 0xff);
    for (int i = 0; i < n * n; i++) ma[i] = (int16_t)(ma[i] + val);
    for (int i = 0; i < n * n; i++) mc[i] = (int32_t)ma[i] * val;
    for (int i = 0; i < n * n; i++) crc = crc32v(mc[i], crc);
    for (int i = 0; i < n; i++) {
        int32_t acc = 0;
        for (int j = 0; j < n; j++) acc += (int32_t)ma[i * n + j] * mb[j];
        crc = crc32v(acc, crc);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int32_t acc = 0;
            for (int k = 0; k < n; k++) acc += (int32_t)ma[i * n + k] * mb[k * n + j];
            mc[i * n + j] = acc;
        }
    for (int i = 0; i < n * n; i++) crc = crc32v(mc[i], crc);
    for (int i = 0; i < n * n; i++) {
        int32_t bits = (mc[i] >> 2) & 0xf, more = (mc[i] >> 5) & 0x7f;
        crc = crc16((int16_t)(bits * more), crc);
    }
    return crc;
}

/* ---- state machine ---- */
enum { START, INTEGER, FRACTION, EXPONENT, SIGNED_EXP, SCIENTIFIC, INVALID, STATES };

static void text_build(uint32_t seed) {
    static const char pieces[][8] = {"5012", "1.23", "-874", "+122", "3.5e4", "-.5", "e12",
                                     "7E-3", "--1", "0x1f", "66", "+0.0", "1e+", ".", "9"};
    int at = 0;
    while (at < TEXT_SIZE - 10) {
        seed = seed * 1103515245u + 12345u;
        const char *p = pieces[(seed >> 16) % 15];
        while (*p) text[at++] = *p++;
        text[at++] = ',';
    }
    text[at] = 0;
}

static int next_state(int state, char c) {
    int digit = c >= '0' && c <= '9';
    switch (state) {
    case START:
        if (digit) return INTEGER;
        if (c == '+' || c == '-') return INTEGER; /* a sign: digits must follow */
        if (c == '.') return FRACTION;
        return INVALID;
    case INTEGER:
        if (digit) return INTEGER;
        if (c == '.') return FRACTION;
        if (c == 'e' || c == 'E') return EXPONENT;
        return INVALID;
    case FRACTION:
        if (digit) return FRACTION;
        if (c == 'e' || c == 'E') return EXPONENT;
        return INVALID;
    case EXPONENT:
        if (c == '+' || c == '-') return SIGNED_EXP;
        if (digit) return SCIENTIFIC;
        return INVALID;
    case SIGNED_EXP:
        return digit ? SCIENTIFIC : INVALID;
    case SCIENTIFIC:
        return digit ? SCIENTIFIC : INVALID;
    default:
        return INVALID;
    }
}

static uint16_t bench_state(uint32_t seed, uint16_t crc) {
    int counts[STATES] = {0}, transitions = 0;
    text_build(seed);
    for (int pass = 0; pass < 2; pass++) {
        int state = START;
        for (const char *p = text; *p; p++) {
            if (*p == ',') {
                counts[state]++;
                state = START;
                continue;
            }
            int next = next_state(state, *p);
            transitions += next != state;
            state = next;
        }
        /* second pass: corrupt every 7th byte, as CoreMark does, then scan again */
        for (int i = 0; i < TEXT_SIZE && text[i]; i += 7)
            if (text[i] != ',') text[i] ^= 1;
    }
    for (int s = 0; s < STATES; s++) crc = crc16((int16_t)counts[s], crc);
    return crc16((int16_t)transitions, crc);
}

__attribute__((export_name("run")))
uint32_t run(int n) {
    uint16_t crc = 0;
    uint32_t total = 0;
    for (int i = 0; i < n; i++) {
        uint32_t seed = 0x3415u + (uint32_t)i * 0x9e3779b9u;
        crc = bench_list(seed, crc);
        crc = bench_matrix(seed, crc);
        crc = bench_state(seed, crc);
        total = total * 31u + crc;
    }
    return total;
}
