/* Random malloc/free/realloc/calloc over 512 slots, sizes from 1 byte to 96 KiB with a
   power-law bias, leaving the heap fragmented. Reactor: the host calls run(seed, steps),
   then release(k) to free every k-th live block, and reads the results. */
#include <stdlib.h>
#include <string.h>
#include <malloc.h>

#define SLOTS 512
static char *slots[SLOTS];
static unsigned sizes[SLOTS];
static unsigned state;

static unsigned next(void) {
    state = state * 1103515245u + 12345u;
    return state >> 8;
}

static unsigned pick_size(void) {
    unsigned r = next();
    switch (r % 8) {
    case 0: return 1 + r % 64;
    case 1: case 2: return 8 + (r >> 3) % 200;
    case 3: return 200 + (r >> 3) % 2000;
    case 4: return 16 << ((r >> 3) % 8);
    case 5: return 2000 + (r >> 3) % 30000;
    case 6: return 1 + (r >> 3) % 24;
    default: return 30000 + (r >> 3) % 70000;
    }
}

__attribute__((export_name("run")))
int run(unsigned seed, int steps) {
    state = seed;
    int failures = 0;
    for (int i = 0; i < steps; i++) {
        unsigned slot = next() % SLOTS, op = next() % 10;
        if (slots[slot] && op < 4) {
            free(slots[slot]);
            slots[slot] = 0;
        } else if (slots[slot] && op < 6) {
            unsigned size = pick_size();
            char *p = realloc(slots[slot], size);
            if (!p) { failures++; continue; }
            if (size > sizes[slot]) memset(p + sizes[slot], slot & 255, size - sizes[slot]);
            slots[slot] = p;
            sizes[slot] = size;
        } else if (!slots[slot]) {
            unsigned size = pick_size();
            char *p = op < 8 ? malloc(size) : calloc(1 + size / 16, 16);
            if (!p) { failures++; continue; }
            memset(p, slot & 255, size);
            slots[slot] = p;
            sizes[slot] = size;
        }
    }
    return failures;
}

__attribute__((export_name("release")))
void release(int every) {
    int n = 0;
    for (int i = 0; i < SLOTS; i++)
        if (slots[i] && n++ % every == 0) { free(slots[i]); slots[i] = 0; }
}

/* Count of blocks whose bytes are not what we wrote (0 when the heap kept them). */
__attribute__((export_name("damaged")))
int damaged(void) {
    int bad = 0;
    for (int i = 0; i < SLOTS; i++)
        for (unsigned j = 0; slots[i] && j < sizes[i]; j += 97)
            if ((unsigned char)slots[i][j] != (i & 255)) { bad++; break; }
    return bad;
}

__attribute__((export_name("live_count")))
int live_count(void) {
    int n = 0;
    for (int i = 0; i < SLOTS; i++) n += slots[i] != 0;
    return n;
}

__attribute__((export_name("live_pointer")))
char *live_pointer(int k) {
    for (int i = 0; i < SLOTS; i++)
        if (slots[i] && k-- == 0) return slots[i];
    return 0;
}

__attribute__((export_name("usable_size")))
size_t usable_size(char *p) { return malloc_usable_size(p); }
