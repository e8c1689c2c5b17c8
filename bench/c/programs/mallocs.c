/* mallocs: allocation-heavy C, through wasi-libc's dlmalloc. Three phases per round:
 * binary trees (the "binarytrees" shape: build, walk and free trees of 16-byte nodes,
 * with one long-lived tree), a table of 256 slots whose blocks of 1 to 2048 bytes are
 * freed and reallocated at random (malloc, calloc, realloc, free), and a byte vector grown
 * by realloc doubling. Nothing depends on addresses. run(n) does n rounds and returns a
 * checksum of node counts, block sums and sizes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct Tree {
    struct Tree *left, *right;
    uint32_t value;
} Tree;

static uint32_t state;

static uint32_t next_random(void) {
    state = state * 1103515245u + 12345u;
    return state >> 8;
}

static Tree *build(int depth, uint32_t value) {
    Tree *t = malloc(sizeof *t);
    t->value = value;
    if (depth > 0) {
        t->left = build(depth - 1, value * 2);
        t->right = build(depth - 1, value * 2 + 1);
    } else {
        t->left = t->right = NULL;
    }
    return t;
}

static uint32_t walk(const Tree *t) {
    return t->left ? t->value + walk(t->left) * 3 + walk(t->right) : t->value;
}

static void release(Tree *t) {
    if (t->left) {
        release(t->left);
        release(t->right);
    }
    free(t);
}

__attribute__((export_name("run")))
uint32_t run(int n) {
    uint8_t *slots[256] = {0};
    uint32_t sizes[256] = {0};
    uint32_t checksum = 0;
    state = 99;
    Tree *keep = build(8, 1);
    for (int round = 0; round < n; round++) {
        /* trees */
        for (int k = 0; k < 4; k++) {
            Tree *t = build(4 + (int)(next_random() % 4), (uint32_t)round + k);
            checksum = checksum * 31u + walk(t);
            release(t);
        }
        /* slot churn */
        for (int k = 0; k < 64; k++) {
            uint32_t at = next_random() & 255, size = 1 + next_random() % 2048;
            uint32_t how = next_random() % 3;
            if (slots[at] && how == 0) {
                uint8_t *p = realloc(slots[at], size);
                if (size > sizes[at]) memset(p + sizes[at], (int)(size & 255), size - sizes[at]);
                slots[at] = p;
            } else {
                free(slots[at]);
                slots[at] = how == 1 ? calloc(size, 1) : malloc(size);
                memset(slots[at], (int)(at & 255), size);
            }
            sizes[at] = size;
            checksum += slots[at][size - 1] + slots[at][size / 2] + size;
        }
        /* growing vector */
        uint32_t capacity = 8, length = 0, limit = 64 + next_random() % 512;
        uint8_t *vector = malloc(capacity);
        while (length < limit) {
            if (length == capacity) {
                capacity *= 2;
                vector = realloc(vector, capacity);
            }
            vector[length] = (uint8_t)(length * 7 + round);
            length++;
        }
        uint32_t sum = 0;
        for (uint32_t i = 0; i < length; i += 3) sum += vector[i];
        checksum = checksum * 7u + sum + capacity;
        free(vector);
    }
    checksum += walk(keep);
    release(keep);
    for (int i = 0; i < 256; i++) free(slots[i]);
    return checksum;
}
