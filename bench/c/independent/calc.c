/* A small expression language: a recursive-descent parser compiles arithmetic with
   variables, comparisons and ternaries into bytecode for a register-less stack machine,
   which a switch loop then evaluates for many variable values. Built at -O2. Our own. */
#include <stdint.h>

enum { OP_PUSH, OP_VAR, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_NEG, OP_LT, OP_EQ,
       OP_JZ, OP_JMP, OP_AND, OP_SHL, OP_END };

static const char *src;
static int32_t code[512];
static int ncode;

static void emit(int32_t v) { code[ncode++] = v; }
static void skip(void) { while (*src == ' ') src++; }
static void expr(void);

static void primary(void) {
    skip();
    if (*src == '(') { src++; expr(); skip(); src++; }
    else if (*src == '-') { src++; primary(); emit(OP_NEG); }
    else if (*src >= 'a' && *src <= 'z') { emit(OP_VAR); emit(*src++ - 'a'); }
    else { int32_t v = 0; while (*src >= '0' && *src <= '9') v = v * 10 + (*src++ - '0'); emit(OP_PUSH); emit(v); }
}
static void term(void) {
    primary();
    for (;;) {
        skip();
        char c = *src;
        if (c != '*' && c != '/' && c != '%' && c != '&') return;
        src++; primary();
        emit(c == '*' ? OP_MUL : c == '/' ? OP_DIV : c == '%' ? OP_MOD : OP_AND);
    }
}
static void sum(void) {
    term();
    for (;;) {
        skip();
        if (*src == '+') { src++; term(); emit(OP_ADD); }
        else if (*src == '-') { src++; term(); emit(OP_SUB); }
        else if (*src == '<' && src[1] == '<') { src += 2; term(); emit(OP_SHL); }
        else return;
    }
}
static void compare(void) {
    sum(); skip();
    if (*src == '<') { src++; sum(); emit(OP_LT); }
    else if (*src == '=' && src[1] == '=') { src += 2; sum(); emit(OP_EQ); }
}
static void expr(void) {
    compare(); skip();
    if (*src == '?') {
        src++; emit(OP_JZ); int jz = ncode; emit(0);
        expr(); skip(); src++;
        emit(OP_JMP); int jmp = ncode; emit(0);
        code[jz] = ncode; expr(); code[jmp] = ncode;
    }
}

static int32_t eval(const int32_t *vars) {
    int32_t stack[64];
    int sp = 0, pc = 0;
    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_VAR: stack[sp++] = vars[code[pc++]]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_DIV: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] / stack[sp] : 0; break;
        case OP_MOD: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] % stack[sp] : 0; break;
        case OP_NEG: stack[sp - 1] = -stack[sp - 1]; break;
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_JZ: if (!stack[--sp]) pc = code[pc]; else pc++; break;
        case OP_JMP: pc = code[pc]; break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_SHL: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] << (stack[sp] & 31)); break;
        default: return stack[sp - 1];
        }
    }
}

static const char *const programs[] = {
    "a * a + b * 3 - (c % 7) * 2",
    "a < b ? a * 2 + 1 : b - a / 3",
    "((a + b) * (a - b) + c) % 1000 == 0 ? 1 : (a & 255) << 2",
    "a % 3 == 0 ? (b % 5 == 0 ? 15 : 3) : (b % 5 == 0 ? 5 : a + b + c)",
    "-a + 17 * (b + 3) / (c + 1) - (a < c)",
};

uint32_t run(int n) {
    uint32_t h = 0;
    for (int p = 0; p < 5; p++) {
        ncode = 0; src = programs[p]; expr(); emit(OP_END);
        for (int i = 0; i < n * 40; i++) {
            int32_t vars[3] = {i, i * 7 + p, i ^ 0x55};
            h = h * 31u + (uint32_t)eval(vars);
        }
    }
    return h;
}
