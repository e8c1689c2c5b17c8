/* String processing through wasi-libc: snprintf of ints and strings, strlen, strcmp,
   memcmp, strchr, strstr, strncpy, strtol; a small line-reversal and word-capitalising
   pass. Built at -O2. Our own code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char buf[8192], words[64][24];

uint32_t run(int n) {
    uint32_t h = 5381;
    for (int r = 0; r < n; r++) {
        size_t len = 0;
        for (int i = 0; i < 40; i++)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "item%d=%x;%s,", i * r + 7,
                                    (unsigned)(i * 2654435761u), i % 3 ? "alpha" : "beta");
        h = h * 33u + (uint32_t)strlen(buf) + (uint32_t)len;
        for (int i = 0; i < 64; i++) snprintf(words[i], sizeof words[i], "w%05d", (i * 7919 + r) % 1000);
        for (int i = 0; i < 63; i++) {
            int c = strcmp(words[i], words[i + 1]);
            h = h * 33u + (uint32_t)(c < 0 ? 1 : c > 0 ? 2 : 3);
            h += (uint32_t)memcmp(words[i], words[(i + 5) & 63], 6) > 0;
        }
        char *p = buf;
        while ((p = strchr(p, ';'))) { h += (uint32_t)(p - buf); p++; }
        char *q = strstr(buf, "beta");
        if (q) h ^= (uint32_t)(q - buf);
        long v = strtol(buf + 4, 0, 10);
        h += (uint32_t)v;
        char tmp[32];
        strncpy(tmp, buf + 10, sizeof tmp - 1);
        tmp[sizeof tmp - 1] = 0;
        for (size_t i = 0, j = strlen(tmp); i + 1 < j; i++, j--) { char c = tmp[i]; tmp[i] = tmp[j - 1]; tmp[j - 1] = c; }
        for (size_t i = 0; tmp[i]; i++) h = h * 31u + (uint8_t)tmp[i];
    }
    return h;
}
