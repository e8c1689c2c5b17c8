/* Pointer-heavy C: a linked list, an unbalanced BST, a red-black tree and a chained
   hash table, each built and walked n times; returns a checksum (run(3) = 1637973750).
   Written for wasmem's benchmarks (bench/codegen.md, "Warm runs and pointers of unknown
   alignment"); same license as wasmem. Build:
   clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -nostartfiles -Wl,--no-entry \
       -o trees_O2.wasm trees.c   (-O0, -Os alike) */
#include <stdlib.h>
#include <stdint.h>

typedef struct node { struct node *next; uint32_t key; uint32_t val; } node;
typedef struct bst { struct bst *l, *r; uint32_t key, val; } bst;
typedef struct rb { struct rb *l, *r, *p; int red; uint32_t key, val; } rb;
typedef struct ent { struct ent *next; uint32_t hash; uint32_t key; uint32_t val; } ent;

static uint32_t seed = 12345;
static uint32_t rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }

static uint32_t lists(int n) {
  node *head = 0; uint32_t sum = 0;
  for (int i = 0; i < n; i++) { node *x = malloc(sizeof *x); x->key = rnd(); x->val = i; x->next = head; head = x; }
  for (int k = 0; k < 8; k++) for (node *x = head; x; x = x->next) { x->val += x->key & 7; sum += x->val ^ x->key; }
  /* reverse */
  node *prev = 0; while (head) { node *nx = head->next; head->next = prev; prev = head; head = nx; }
  while (prev) { node *nx = prev->next; sum += prev->val; free(prev); prev = nx; }
  return sum;
}

static bst *bst_insert(bst *t, uint32_t key, uint32_t val) {
  bst **where = &t;
  while (*where) { if (key < (*where)->key) where = &(*where)->l; else if (key > (*where)->key) where = &(*where)->r; else { (*where)->val += val; return t; } }
  bst *x = calloc(1, sizeof *x); x->key = key; x->val = val; *where = x; return t;
}
static uint32_t bst_sum(bst *t) { uint32_t s = 0; while (t) { s += t->val * 3 + bst_sum(t->l); t = t->r; } return s; }
static void bst_free(bst *t) { while (t) { bst_free(t->l); bst *r = t->r; free(t); t = r; } }
static uint32_t trees(int n) {
  bst *t = 0; for (int i = 0; i < n; i++) t = bst_insert(t, rnd() % (n * 2), i);
  uint32_t s = 0; for (int i = 0; i < n; i++) { uint32_t k = rnd() % (n * 2); bst *x = t; while (x && x->key != k) x = k < x->key ? x->l : x->r; if (x) s += x->val; }
  s += bst_sum(t); bst_free(t); return s;
}

static rb *root;
static void rot_l(rb *x) { rb *y = x->r; x->r = y->l; if (y->l) y->l->p = x; y->p = x->p; if (!x->p) root = y; else if (x == x->p->l) x->p->l = y; else x->p->r = y; y->l = x; x->p = y; }
static void rot_r(rb *x) { rb *y = x->l; x->l = y->r; if (y->r) y->r->p = x; y->p = x->p; if (!x->p) root = y; else if (x == x->p->r) x->p->r = y; else x->p->l = y; y->r = x; x->p = y; }
static void rb_insert(uint32_t key, uint32_t val) {
  rb *y = 0, *x = root;
  while (x) { y = x; if (key == x->key) { x->val += val; return; } x = key < x->key ? x->l : x->r; }
  rb *z = calloc(1, sizeof *z); z->key = key; z->val = val; z->p = y; z->red = 1;
  if (!y) root = z; else if (key < y->key) y->l = z; else y->r = z;
  while (z->p && z->p->red) {
    rb *g = z->p->p;
    if (z->p == g->l) { rb *u = g->r; if (u && u->red) { z->p->red = 0; u->red = 0; g->red = 1; z = g; } else { if (z == z->p->r) { z = z->p; rot_l(z); } z->p->red = 0; g->red = 1; rot_r(g); } }
    else { rb *u = g->l; if (u && u->red) { z->p->red = 0; u->red = 0; g->red = 1; z = g; } else { if (z == z->p->l) { z = z->p; rot_r(z); } z->p->red = 0; g->red = 1; rot_l(g); } }
  }
  root->red = 0;
}
static uint32_t rb_walk(rb *t, int d) { return t ? rb_walk(t->l, d + 1) + t->val * (uint32_t)d + rb_walk(t->r, d + 1) + (uint32_t)t->red : 0; }
static void rb_free(rb *t) { if (t) { rb_free(t->l); rb_free(t->r); free(t); } }
static uint32_t rbtrees(int n) {
  root = 0; for (int i = 0; i < n; i++) rb_insert(rnd() % (n * 4), i);
  uint32_t s = rb_walk(root, 0); rb_free(root); root = 0; return s;
}

static uint32_t hashes(int n) {
  int size = 64; ent **tab = calloc(size, sizeof *tab); int count = 0; uint32_t s = 0;
  for (int i = 0; i < n * 2; i++) {
    uint32_t key = rnd() % (n * 3), h = key * 2654435761u;
    ent *e = tab[h & (size - 1)];
    while (e && !(e->hash == h && e->key == key)) e = e->next;
    if (e) { e->val += i; continue; }
    e = malloc(sizeof *e); e->hash = h; e->key = key; e->val = i; e->next = tab[h & (size - 1)]; tab[h & (size - 1)] = e; count++;
    if (count > size) {
      int ns = size * 2; ent **nt = calloc(ns, sizeof *nt);
      for (int j = 0; j < size; j++) { ent *x = tab[j]; while (x) { ent *nx = x->next; x->next = nt[x->hash & (ns - 1)]; nt[x->hash & (ns - 1)] = x; x = nx; } }
      free(tab); tab = nt; size = ns;
    }
  }
  for (int j = 0; j < size; j++) for (ent *x = tab[j]; x; ) { ent *nx = x->next; s += x->val ^ x->key; free(x); x = nx; }
  free(tab); return s + (uint32_t)count;
}

__attribute__((export_name("run"))) uint32_t run(int n) {
  seed = 12345;
  uint32_t s = 0;
  for (int r = 0; r < n; r++) s += lists(300) + trees(300) * 3 + rbtrees(300) * 5 + hashes(300) * 7;
  return s;
}
int main(void) { return 0; }
