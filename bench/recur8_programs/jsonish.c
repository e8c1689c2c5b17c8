/* A JSON-ish reader and writer, written for the short-run policy (bench/tiering.md,
   helper "recur8"): generates a document with snprintf, parses it by recursive descent
   into malloc'ed values (objects as linked members, strings copied with strdup-like
   code), sums it, writes it back with snprintf and frees it. Our own code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct val { char type; double num; char *str; struct val *kid, *next; } val;

static const char *p;
static void ws(void) { while (*p == ' ' || *p == '\n' || *p == '\t') p++; }

static char *str(void) {
    const char *s = ++p;
    while (*p != '"') p++;
    size_t n = (size_t)(p - s);
    char *out = malloc(n + 1);
    memcpy(out, s, n); out[n] = 0; p++;
    return out;
}

static val *value(void);
static val *list(char close, int keys) {
    val *head = 0, **tail = &head;
    p++; ws();
    while (*p != close) {
        char *key = 0;
        if (keys) { key = str(); ws(); p++; ws(); }
        val *v = value();
        v->str = key ? key : v->str;
        *tail = v; tail = &v->next;
        ws(); if (*p == ',') { p++; ws(); }
    }
    p++;
    return head;
}

static val *value(void) {
    val *v = calloc(1, sizeof *v);
    ws();
    if (*p == '{') { v->type = 'o'; v->kid = list('}', 1); }
    else if (*p == '[') { v->type = 'a'; v->kid = list(']', 0); }
    else if (*p == '"') { v->type = 's'; v->str = str(); }
    else { v->type = 'n'; char *end; v->num = strtod(p, &end); p = end; }
    return v;
}

static double sum(const val *v) {
    double s = v->type == 'n' ? v->num : 0;
    if (v->str) s += (double)strlen(v->str);
    for (const val *k = v->kid; k; k = k->next) s += sum(k);
    return s;
}

static char out[1 << 16];
static size_t put(size_t at, const val *v) {
    if (v->type == 'n') return at + (size_t)snprintf(out + at, sizeof out - at, "%g", v->num);
    if (v->type == 's') return at + (size_t)snprintf(out + at, sizeof out - at, "\"%s\"", v->str);
    out[at++] = v->type == 'o' ? '{' : '[';
    for (const val *k = v->kid; k; k = k->next) {
        if (v->type == 'o') at += (size_t)snprintf(out + at, sizeof out - at, "\"%s\":", k->str);
        at = put(at, k);
        if (k->next) out[at++] = ',';
    }
    out[at++] = v->type == 'o' ? '}' : ']';
    return at;
}

static void drop(val *v) {
    for (val *k = v->kid, *n; k; k = n) { n = k->next; drop(k); }
    free(v->str); free(v);
}

static char doc[1 << 16];
unsigned run(int n) {
    unsigned h = 5381;
    for (int r = 0; r < n; r++) {
        size_t at = 0;
        at += (size_t)snprintf(doc + at, sizeof doc - at, "{\"items\": [");
        for (int i = 0; i < 40; i++)
            at += (size_t)snprintf(doc + at, sizeof doc - at, "%s{\"id\": %d, \"w\": %.3f, \"tag\": \"t%x\", \"xs\": [%d, %d, %d]}",
                                   i ? ", " : "", i + r, (i * 37 % 101) / 7.0, i * 2654435761u, i, i * i, r - i);
        snprintf(doc + at, sizeof doc - at, "], \"n\": %d}", r);
        p = doc;
        val *v = value();
        h = h * 33u + (unsigned)(long)sum(v);
        size_t len = put(0, v);
        h = h * 33u + (unsigned)len + (unsigned char)out[len / 2];
        drop(v);
    }
    return h;
}
