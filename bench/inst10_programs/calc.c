/* inst10's instance-per-run program (bench/tiering.md, helper "inst10"): a small
   expression language the usual way: a tokenizer, a recursive-descent parser building
   malloc'd nodes, a tree-walking evaluator with variables in a hash table, and snprintf
   to format results. run(n) parses and evaluates n generated scripts and returns a
   checksum of the formatted output. Written for this repository (no licence issue). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Node { char op; long value; int var; struct Node *a, *b, *c; } Node;
static const char *src;
static char name[32];
static long tokval;
static int tok;

enum { NUM = 256, ID, IF, WHILE, END };

static void next(void) {
    while (*src == ' ' || *src == '\n') src++;
    if (!*src) { tok = END; return; }
    if (*src >= '0' && *src <= '9') { tokval = strtol(src, (char **)&src, 10); tok = NUM; return; }
    if ((*src >= 'a' && *src <= 'z')) {
        int n = 0;
        while ((*src >= 'a' && *src <= 'z') || (*src >= '0' && *src <= '9')) { if (n < 31) name[n++] = *src; src++; }
        name[n] = 0;
        tok = !strcmp(name, "if") ? IF : !strcmp(name, "while") ? WHILE : ID;
        return;
    }
    tok = *src++;
}

#define VARS 64
static char *names[VARS];
static long values[VARS];
static unsigned hash(const char *s) { unsigned h = 2166136261u; while (*s) h = (h ^ (unsigned char)*s++) * 16777619u; return h; }
static int slot(const char *s) {
    unsigned i = hash(s) % VARS;
    while (names[i] && strcmp(names[i], s)) i = (i + 1) % VARS;
    if (!names[i]) names[i] = strdup(s);
    return (int)i;
}

static Node *node(char op, Node *a, Node *b) {
    Node *n = calloc(1, sizeof *n); n->op = op; n->a = a; n->b = b; return n;
}
static Node *expr(void);
static Node *primary(void) {
    Node *n;
    if (tok == NUM) { n = node('n', 0, 0); n->value = tokval; next(); return n; }
    if (tok == ID) { n = node('v', 0, 0); n->var = slot(name); next(); return n; }
    if (tok == '(') { next(); n = expr(); next(); return n; }
    if (tok == '-') { next(); return node('~', primary(), 0); }
    next(); return node('n', 0, 0);
}
static Node *term(void) {
    Node *n = primary();
    while (tok == '*' || tok == '/' || tok == '%') { char op = (char)tok; next(); n = node(op, n, primary()); }
    return n;
}
static Node *sum(void) {
    Node *n = term();
    while (tok == '+' || tok == '-') { char op = (char)tok; next(); n = node(op, n, term()); }
    return n;
}
static Node *expr(void) {
    Node *n = sum();
    while (tok == '<' || tok == '>' || tok == '=') { char op = (char)tok; next(); n = node(op, n, sum()); }
    return n;
}
static Node *statement(void) {
    Node *n;
    if (tok == IF || tok == WHILE) {
        char op = tok == IF ? 'i' : 'w'; next();
        n = node(op, expr(), 0); next();  /* '{' */
        Node *body = 0, **tail = &body;
        while (tok != '}' && tok != END) { *tail = node(';', statement(), 0); tail = &(*tail)->b; }
        next(); n->b = body; return n;
    }
    int var = slot(name); next(); next();  /* name ':' */
    n = node(':', expr(), 0); n->var = var; next();  /* ';' */
    return n;
}
static long eval(Node *n) {
    long x, y;
    switch (n->op) {
    case 'n': return n->value;
    case 'v': return values[n->var];
    case '~': return -eval(n->a);
    case ':': return values[n->var] = eval(n->a);
    case ';': for (; n; n = n->b) eval(n->a); return 0;
    case 'i': if (eval(n->a) && n->b) eval(n->b); return 0;
    case 'w': while (eval(n->a)) if (n->b) eval(n->b); return 0;
    }
    x = eval(n->a); y = eval(n->b);
    switch (n->op) {
    case '+': return x + y; case '-': return x - y; case '*': return x * y;
    case '/': return y ? x / y : 0; case '%': return y ? x % y : 0;
    case '<': return x < y; case '>': return x > y; default: return x == y;
    }
}
static void release(Node *n) { if (!n) return; release(n->a); release(n->b); free(n); }

__attribute__((export_name("run"))) unsigned run(int n) {
    static char script[512], out[64];
    unsigned check = 0;
    for (int k = 0; k < n * 40; k++) {
        snprintf(script, sizeof script,
                 "i: 0; s: %d; while i < %d { s: (s * 31 + i) %% 100003; if s %% 7 = 3 { t: t + s / %d; } i: i + 1; }",
                 k, 200 + k % 50, 3 + k % 5);
        src = script; next();
        Node *prog = 0, **tail = &prog;
        while (tok != END) { *tail = node(';', statement(), 0); tail = &(*tail)->b; }
        eval(prog);
        int len = snprintf(out, sizeof out, "%ld %ld %.3f", values[slot("s")], values[slot("t")],
                           values[slot("s")] / 7.0);
        check = check * 33 + hash(out) + (unsigned)len;
        release(prog);
    }
    return check;
}
