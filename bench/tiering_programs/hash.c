/* A string hash loop: FNV-1a over generated words, counted in an open-addressing
 * table (bench/tiering.py). */
#include <stdint.h>
#include <string.h>
static char words[4096];
static uint32_t table[1024];
static uint32_t fnv(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 16777619u; }
    return h;
}
__attribute__((export_name("run"))) uint32_t run(uint32_t rounds) {
    uint32_t seed = 7, total = 0;
    memset(table, 0, sizeof table);
    for (uint32_t r = 0; r < rounds; r++) {
        size_t n = 4 + (seed >> 7) % 12;
        for (size_t i = 0; i < n; i++) { seed = seed * 1103515245u + 12345u; words[i] = 'a' + (seed >> 16) % 26; }
        uint32_t h = fnv(words, n), slot = h & 1023;
        while (table[slot] && table[slot] != h) slot = (slot + 1) & 1023;
        table[slot] = h;
        total += slot;
    }
    return total;
}
