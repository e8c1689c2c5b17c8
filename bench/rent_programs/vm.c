/* A stack bytecode VM (switch dispatch) running a generated program: loops, calls
   into a few builtins, a small heap of cells. Written for bench/tiering.md (helper
   policy7); public domain. */
#include <stdlib.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, JZ, JMP, CALLB, DUP, POP, HALT };

static int prog[64];
static int mem[16];

static int builtin(int k, int a) {
    switch (k & 3) {
    case 0: return a * 3 + 1;
    case 1: return a / 2;
    case 2: return a ^ 0x55;
    default: return a < 0 ? -a : a;
    }
}

static int exec(const int *code, int steps) {
    int stack[32], sp = 0, pc = 0, done = 0;
    while (steps-- > 0 && !done) {
        int op = code[pc++];
        switch (op) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case LOAD: stack[sp++] = mem[code[pc++]]; break;
        case STORE: mem[code[pc++]] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case MOD: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] % stack[sp] : 0; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case JZ: { int t = code[pc++]; if (!stack[--sp]) pc = t; break; }
        case JMP: pc = code[pc]; break;
        case CALLB: stack[sp - 1] = builtin(code[pc++], stack[sp - 1]); break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case POP: sp--; break;
        default: done = 1;
        }
    }
    return mem[1];
}

unsigned run(int n) {
    /* mem[0] = i; mem[1] = acc; while (i < limit) { acc = f(acc*7+i) % 1000003; i++ } */
    int p = 0;
    int limit = 40 + n;
    prog[p++] = PUSH; prog[p++] = 0; prog[p++] = STORE; prog[p++] = 0;
    int top = p;
    prog[p++] = LOAD; prog[p++] = 0; prog[p++] = PUSH; prog[p++] = limit; prog[p++] = LT;
    prog[p++] = JZ; int patch = p++;
    prog[p++] = LOAD; prog[p++] = 1; prog[p++] = PUSH; prog[p++] = 7; prog[p++] = MUL;
    prog[p++] = LOAD; prog[p++] = 0; prog[p++] = ADD;
    prog[p++] = CALLB; prog[p++] = 0;
    prog[p++] = PUSH; prog[p++] = 1000003; prog[p++] = MOD; prog[p++] = STORE; prog[p++] = 1;
    prog[p++] = LOAD; prog[p++] = 0; prog[p++] = PUSH; prog[p++] = 1; prog[p++] = ADD;
    prog[p++] = STORE; prog[p++] = 0; prog[p++] = JMP; prog[p++] = top;
    prog[patch] = p; prog[p++] = HALT;
    unsigned h = 0;
    for (int r = 0; r < 8 * n; r++) {
        mem[1] = r;
        prog[20] = r & 3;
        h = h * 31u + (unsigned)exec(prog, 1 << 20);
    }
    return h;
}
