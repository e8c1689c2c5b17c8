/* strhash: string and hash-table work as a word counter does it. n pseudo-random words
 * (3 to 12 lowercase letters, from a vocabulary that repeats) are built with snprintf-free
 * byte loops, hashed with FNV-1a, counted in an open-addressing table (linear probing,
 * strcmp on collisions, strdup for new keys, doubling when 3/4 full), then every key is
 * looked up again by a reversed copy (strlen, memcpy) and the table is freed.
 * run(n) returns a checksum of the counts, hashes and lengths. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *key;
    uint32_t hash;
    uint32_t count;
} Slot;

static Slot *slots;
static uint32_t capacity, used;

static uint32_t fnv1a(const char *s) {
    uint32_t h = 2166136261u;
    while (*s) h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

static Slot *lookup(const char *key, uint32_t hash) {
    uint32_t mask = capacity - 1, at = hash & mask;
    while (slots[at].key && (slots[at].hash != hash || strcmp(slots[at].key, key) != 0))
        at = (at + 1) & mask;
    return &slots[at];
}

static void grow(void) {
    Slot *old = slots;
    uint32_t old_capacity = capacity;
    capacity *= 2;
    slots = calloc(capacity, sizeof(Slot));
    for (uint32_t i = 0; i < old_capacity; i++)
        if (old[i].key) *lookup(old[i].key, old[i].hash) = old[i];
    free(old);
}

static uint32_t add(const char *key) {
    uint32_t hash = fnv1a(key);
    Slot *slot = lookup(key, hash);
    if (!slot->key) {
        slot->key = strdup(key);
        slot->hash = hash;
        slot->count = 0;
        if (++used * 4 > capacity * 3) {
            grow();
            slot = lookup(key, hash);
        }
    }
    return ++slot->count;
}

__attribute__((export_name("run")))
uint32_t run(int n) {
    uint32_t state = 7, checksum = 0;
    char word[16], reversed[16];
    capacity = 64;
    used = 0;
    slots = calloc(capacity, sizeof(Slot));
    for (int i = 0; i < n; i++) {
        state = state * 1103515245u + 12345u;
        uint32_t pick = (state >> 8) % (uint32_t)(n / 4 + 16); /* vocabulary: repeats */
        uint32_t length = 3 + pick % 10, x = pick * 2654435761u;
        for (uint32_t k = 0; k < length; k++) {
            word[k] = (char)('a' + x % 26);
            x = x / 26 + pick * 31u + k;
        }
        word[length] = 0;
        checksum = checksum * 31u + add(word);
    }
    for (uint32_t i = 0; i < capacity; i++) {
        if (!slots[i].key) continue;
        size_t length = strlen(slots[i].key);
        for (size_t k = 0; k < length; k++) reversed[k] = slots[i].key[length - 1 - k];
        reversed[length] = 0;
        memcpy(word, reversed, length + 1);
        uint32_t hash = fnv1a(word);
        Slot *found = lookup(word, hash);
        checksum += slots[i].count * (uint32_t)length ^ (found->key ? found->count : hash);
    }
    for (uint32_t i = 0; i < capacity; i++) free(slots[i].key);
    checksum ^= used;
    free(slots);
    return checksum;
}
