/* Compression: an LZ77-style compressor with a hash of 3-byte prefixes (literal runs and
   back-references in a simple byte format), its decompressor, and run-length coding;
   checks the round trip. Built at -O2. Our own code and format. */
#include <stdint.h>
#include <string.h>

#define N 16384
static uint8_t in[N], packed[N * 2], out[N];
static uint16_t head[4096];

static size_t compress(const uint8_t *s, size_t n, uint8_t *d) {
    memset(head, 0xff, sizeof head);
    size_t i = 0, o = 0, lit = 0;
    while (i < n) {
        size_t best = 0, dist = 0;
        if (i + 3 <= n) {
            unsigned key = ((unsigned)s[i] << 4 ^ (unsigned)s[i + 1] << 2 ^ s[i + 2]) & 4095;
            unsigned cand = head[key];
            head[key] = (uint16_t)i;
            if (cand != 0xffff && i - cand < 4096) {
                size_t len = 0;
                while (i + len < n && len < 130 && s[cand + len] == s[i + len]) len++;
                if (len >= 3) { best = len; dist = i - cand; }
            }
        }
        if (best) {
            if (lit) { d[o++] = (uint8_t)(lit - 1); memcpy(d + o, s + i - lit, lit); o += lit; lit = 0; }
            d[o++] = (uint8_t)(0x80 | (best - 3));
            d[o++] = (uint8_t)(dist >> 8); d[o++] = (uint8_t)dist;
            i += best;
        } else {
            i++; lit++;
            if (lit == 128) { d[o++] = 127; memcpy(d + o, s + i - lit, lit); o += lit; lit = 0; }
        }
    }
    if (lit) { d[o++] = (uint8_t)(lit - 1); memcpy(d + o, s + n - lit, lit); o += lit; }
    return o;
}

static size_t decompress(const uint8_t *s, size_t n, uint8_t *d) {
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t c = s[i++];
        if (c & 0x80) {
            size_t len = (c & 0x7f) + 3, dist = (size_t)s[i] << 8 | s[i + 1];
            i += 2;
            for (size_t k = 0; k < len; k++, o++) d[o] = d[o - dist];
        } else {
            memcpy(d + o, s + i, (size_t)c + 1); o += (size_t)c + 1; i += (size_t)c + 1;
        }
    }
    return o;
}

static size_t rle(const uint8_t *s, size_t n, uint8_t *d) {
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && j - i < 255 && s[j] == s[i]) j++;
        d[o++] = (uint8_t)(j - i); d[o++] = s[i];
        i = j;
    }
    return o;
}

uint32_t run(int n) {
    uint32_t seed = 99, h = 0;
    size_t len = (size_t)(512 + n * 64 % (N - 512));
    for (int r = 0; r < n; r++) {
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            in[i] = (seed >> 20) % 7 == 0 ? (uint8_t)(seed >> 8) : in[i / 2 + (i > 40 ? (seed >> 12) % 8 : 0)] + (i & 1);
        }
        size_t p = compress(in, len, packed);
        size_t u = decompress(packed, p, out);
        h = h * 31u + (uint32_t)p + (uint32_t)u + (uint32_t)(memcmp(in, out, len) == 0);
        h = h * 31u + (uint32_t)rle(in, len, packed);
    }
    return h;
}
