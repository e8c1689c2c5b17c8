/* Structs and linked lists with malloc/free: a doubly linked list of records, insertion
   in sorted order, deletion of every third, a singly linked stack, and a chained hash
   table of structs. Built at -O0 (stack traffic through __stack_pointer). Our own code. */
#include <stdlib.h>
#include <stdint.h>

struct rec { struct rec *prev, *next; int32_t key; int16_t small; uint8_t tag; double w; };
struct node { struct node *next; uint32_t value; };
struct entry { struct entry *next; uint32_t key; uint32_t count; };

static uint32_t state;
static uint32_t rnd(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }

static uint32_t list_round(int len) {
    struct rec head = {&head, &head, 0, 0, 0, 0.0};
    for (int i = 0; i < len; i++) {
        struct rec *r = malloc(sizeof *r);
        r->key = (int32_t)(rnd() % 1000);
        r->small = (int16_t)(r->key * 3);
        r->tag = (uint8_t)i;
        r->w = r->key * 0.5;
        struct rec *p = head.next;
        while (p != &head && p->key < r->key) p = p->next;
        r->next = p; r->prev = p->prev; p->prev->next = r; p->prev = r;
    }
    int i = 0;
    for (struct rec *p = head.next; p != &head;) {
        struct rec *next = p->next;
        if (i++ % 3 == 0) { p->prev->next = p->next; p->next->prev = p->prev; free(p); }
        p = next;
    }
    uint32_t h = 0;
    double w = 0;
    while (head.next != &head) {
        struct rec *p = head.next;
        h = h * 33u + (uint32_t)p->key + (uint32_t)p->small + p->tag;
        w += p->w;
        head.next = p->next;
        free(p);
    }
    return h + (uint32_t)w;
}

static uint32_t stack_round(int len) {
    struct node *top = 0;
    uint32_t h = 0;
    for (int i = 0; i < len; i++) {
        if (top && rnd() % 3 == 0) {
            struct node *n = top; top = n->next; h += n->value; free(n);
        } else {
            struct node *n = malloc(sizeof *n); n->value = rnd(); n->next = top; top = n;
        }
    }
    while (top) { struct node *n = top; top = n->next; h ^= n->value; free(n); }
    return h;
}

static uint32_t table_round(int len) {
    struct entry *buckets[64] = {0};
    for (int i = 0; i < len; i++) {
        uint32_t k = rnd() % 200;
        struct entry **b = &buckets[k % 64];
        struct entry *e = *b;
        while (e && e->key != k) e = e->next;
        if (!e) { e = calloc(1, sizeof *e); e->key = k; e->next = *b; *b = e; }
        e->count++;
    }
    uint32_t h = 0;
    for (int i = 0; i < 64; i++) {
        struct entry *e = buckets[i];
        while (e) { struct entry *n = e->next; h = h * 31u + e->key * e->count; free(e); e = n; }
    }
    return h;
}

uint32_t run(int n) {
    state = 2463534242u;
    uint32_t h = 0;
    for (int r = 0; r < n; r++) {
        h = h * 7u + list_round(60);
        h = h * 7u + stack_round(300);
        h = h * 7u + table_round(300);
    }
    return h;
}
