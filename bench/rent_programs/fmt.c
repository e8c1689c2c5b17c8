/* Formatting and parsing back: a report of records printed with snprintf (several
   conversions per line) and read back with strtol/strtod/sscanf-free code. printf_core
   heavy. Written for bench/tiering.md (helper policy7); public domain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned seed = 12345;
static unsigned rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }

static const char *names[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"};

unsigned run(int n) {
    char line[160];
    unsigned h = 2166136261u;
    for (int i = 0; i < n * 25; i++) {
        unsigned a = rnd() % 100000, b = rnd() % 1000;
        double x = (double)(rnd() % 100000) / 7.0;
        int len = snprintf(line, sizeof line, "%05u;%-9s;%+6d;%12.4f;%#x;%c%c", a,
                           names[rnd() % 7], (int)b - 500, x, a ^ b,
                           'A' + (int)(b % 26), 'a' + (int)(a % 26));
        char *p = line, *end;
        unsigned long v = strtoul(p, &end, 10);
        h = (h ^ (unsigned)v) * 16777619u;
        p = strchr(end + 1, ';');
        long w = strtol(p + 1, &end, 10);
        double y = strtod(end + 1, &end);
        h = (h ^ (unsigned)w ^ (unsigned)(y * 16)) * 16777619u;
        for (int k = 0; k < len; k++) h = (h ^ (unsigned char)line[k]) * 16777619u;
    }
    return h;
}
