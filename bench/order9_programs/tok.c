/* A table-driven tokenizer of generated C-like text (bench/tiering.md, helper "order9"):
   character classes and a state-transition table (DFA), identifiers interned in an
   open-addressing hash table (strcmp, strdup), numbers read with strtol/strtod, a report
   line per chunk through snprintf. run(n): n chunks of ~4 KB; returns a checksum.
   Written for wasmem; licensed as the repository (Apache-2.0, LICENSE). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_SPACE, C_ALPHA, C_DIGIT, C_DOT, C_PUNCT, C_QUOTE, C_OTHER, NCLASS };
enum { S_START, S_IDENT, S_INT, S_FRAC, S_STR, S_PUNCT, NSTATE };
enum { T_NONE, T_IDENT, T_INT, T_FLOAT, T_STR, T_PUNCT, NKIND };

static unsigned char cls[256];
static signed char next_state[NSTATE][NCLASS];
static unsigned seed = 12345;

static unsigned rnd(void) { seed = seed * 1103515245u + 12345u; return (seed >> 16) & 0x7fff; }

static void init_tables(void) {
  for (int c = 0; c < 256; c++) cls[c] = C_OTHER;
  cls[' '] = cls['\n'] = cls['\t'] = C_SPACE;
  for (int c = 'a'; c <= 'z'; c++) cls[c] = C_ALPHA;
  for (int c = 'A'; c <= 'Z'; c++) cls[c] = C_ALPHA;
  cls['_'] = C_ALPHA;
  for (int c = '0'; c <= '9'; c++) cls[c] = C_DIGIT;
  cls['.'] = C_DOT;
  cls['"'] = C_QUOTE;
  const char *p = "+-*/=<>(){};,[]&|!";
  while (*p) cls[(unsigned char)*p++] = C_PUNCT;
  for (int s = 0; s < NSTATE; s++)
    for (int c = 0; c < NCLASS; c++) next_state[s][c] = -1; /* -1: token ends */
  next_state[S_START][C_ALPHA] = S_IDENT; next_state[S_START][C_DIGIT] = S_INT;
  next_state[S_START][C_PUNCT] = S_PUNCT; next_state[S_START][C_QUOTE] = S_STR;
  next_state[S_IDENT][C_ALPHA] = S_IDENT; next_state[S_IDENT][C_DIGIT] = S_IDENT;
  next_state[S_INT][C_DIGIT] = S_INT; next_state[S_INT][C_DOT] = S_FRAC;
  next_state[S_FRAC][C_DIGIT] = S_FRAC;
  for (int c = 0; c < NCLASS; c++) next_state[S_STR][c] = S_STR;
  next_state[S_STR][C_QUOTE] = -2; /* the closing quote is part of it */
}

static const char *words[] = {"int", "return", "while", "for", "if", "else", "count",
                              "total", "buffer", "index", "value", "node", "next", "size"};

static char *generate(int bytes) {
  char *text = malloc(bytes + 64);
  int at = 0;
  while (at < bytes) {
    switch (rnd() % 6) {
    case 0: case 1: {
      const char *w = words[rnd() % 14];
      at += sprintf(text + at, "%s%u ", w, rnd() % 7);
      break;
    }
    case 2: at += sprintf(text + at, "%u ", rnd()); break;
    case 3: at += sprintf(text + at, "%u.%02u ", rnd() % 100, rnd() % 100); break;
    case 4: at += sprintf(text + at, "\"s%u\" ", rnd() % 50); break;
    default: text[at++] = "+-*/=<>(){};,"[rnd() % 13]; text[at++] = ' '; break;
    }
  }
  text[at] = 0;
  return text;
}

#define TABLE 1024
static char *names[TABLE];
static int uses[TABLE];

static unsigned intern(const char *start, int len) {
  char word[64];
  if (len > 63) len = 63;
  memcpy(word, start, len);
  word[len] = 0;
  unsigned h = 2166136261u;
  for (int i = 0; i < len; i++) h = (h ^ (unsigned char)word[i]) * 16777619u;
  unsigned slot = h % TABLE;
  while (names[slot] && strcmp(names[slot], word) != 0) slot = (slot + 1) % TABLE;
  if (!names[slot]) names[slot] = strdup(word);
  uses[slot]++;
  return slot;
}

static unsigned tokenize(const char *text, int counts[NKIND], double *sum) {
  unsigned check = 0;
  const char *p = text;
  while (*p) {
    while (cls[(unsigned char)*p] == C_SPACE) p++;
    if (!*p) break;
    const char *start = p;
    int state = S_START, last = S_START;
    for (;;) {
      int s = next_state[state][cls[(unsigned char)*p]];
      if (s == -2) { p++; last = S_STR; break; }
      if (s < 0 || !*p) break;
      last = state = s;
      p++;
    }
    if (p == start) { p++; continue; } /* a character no token starts with */
    int len = (int)(p - start), kind;
    switch (last) {
    case S_IDENT: kind = T_IDENT; check += intern(start, len); break;
    case S_INT: kind = T_INT; check ^= (unsigned)strtol(start, NULL, 10); break;
    case S_FRAC: kind = T_FLOAT; *sum += strtod(start, NULL); break;
    case S_STR: kind = T_STR; check += len; break;
    default: kind = T_PUNCT; check = check * 31 + (unsigned char)*start; break;
    }
    counts[kind]++;
  }
  return check;
}

__attribute__((export_name("run"))) unsigned run(int n) {
  static char line[160];
  unsigned check = 0;
  init_tables();
  for (int i = 0; i < n; i++) {
    char *text = generate(4096);
    int counts[NKIND] = {0};
    double sum = 0;
    check += tokenize(text, counts, &sum);
    int len = snprintf(line, sizeof line, "chunk %d: %d idents %d ints %d floats (%.2f) %d strings %d puncts",
                       i, counts[T_IDENT], counts[T_INT], counts[T_FLOAT], sum,
                       counts[T_STR], counts[T_PUNCT]);
    for (int k = 0; k < len; k++) check = check * 33 + (unsigned char)line[k];
    free(text);
  }
  for (int s = 0; s < TABLE; s++)
    if (names[s]) { check += uses[s] * (unsigned)s; free(names[s]); names[s] = 0; uses[s] = 0; }
  return check;
}
