/* vm: a small stack-based bytecode interpreter, the dispatch loop of every scripting
 * language: a `switch` over 24 opcodes that clang compiles to a `br_table`, an operand
 * stack and 8 registers in memory, relative jumps. The bytecode program (assemble) counts
 * Collatz steps for 1..n and mixes them into a hash, calling a subroutine per number.
 * run(n) interprets it and returns the hash. */
#include <stdint.h>

enum {
    HALT, PUSH, LOAD, STORE, ADD, SUB, MUL, AND, OR, XOR, SHL, SHRU, LTU, EQ,
    JMP, JZ, JNZ, DUP, DROP, SWAP, INC, CALL, RET, NOP
};

/* The program is assembled at run time (see assemble), so jump offsets are computed.
 * Registers: r0 = n + 1, r1 = i, r2 = x, r3 = steps, r4 = hash. */
static int32_t code[128];
static int code_size;

static int emit(int32_t op) { code[code_size] = op; return code_size++; }

static void assemble(void) {
    code_size = 0;
    emit(PUSH); emit(0); emit(STORE); emit(4);              /* hash = 0 */
    emit(PUSH); emit(1); emit(STORE); emit(1);              /* i = 1 */
    int loop = code_size;
    emit(LOAD); emit(1); emit(LOAD); emit(0); emit(LTU);    /* i < n ? */
    emit(JZ); int exit_at = emit(0);
    emit(LOAD); emit(1); emit(STORE); emit(2);              /* x = i */
    emit(CALL); int call_at = emit(0);                      /* steps = collatz(x) */
    emit(LOAD); emit(4); emit(PUSH); emit(31); emit(MUL);   /* hash = hash * 31 */
    emit(LOAD); emit(3); emit(ADD);                         /*   + steps */
    emit(LOAD); emit(2); emit(XOR);                         /*   ^ x (final x: 1) */
    emit(DUP); emit(PUSH); emit(7); emit(SHRU); emit(XOR);  /*   h ^= h >> 7 */
    emit(STORE); emit(4);
    emit(INC); emit(1);                                     /* i++ */
    emit(JMP); int back = emit(0);
    code[back] = loop - code_size;
    code[exit_at] = code_size - exit_at - 1;
    emit(LOAD); emit(4); emit(HALT);
    /* collatz(x in r2) -> r3 */
    int collatz = code_size;
    code[call_at] = collatz;
    emit(PUSH); emit(0); emit(STORE); emit(3);              /* steps = 0 */
    int top = code_size;
    emit(LOAD); emit(2); emit(PUSH); emit(1); emit(EQ);     /* x == 1 ? */
    emit(JNZ); int done_at = emit(0);
    emit(INC); emit(3);                                     /* steps++ */
    emit(LOAD); emit(2); emit(PUSH); emit(1); emit(AND);    /* odd? */
    emit(JZ); int even_at = emit(0);
    emit(LOAD); emit(2); emit(DUP); emit(DUP); emit(ADD); emit(ADD);
    emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(2);   /* x = 3x + 1 */
    emit(JMP); int again1 = emit(0);
    code[again1] = top - code_size;
    code[even_at] = code_size - even_at - 1;
    emit(LOAD); emit(2); emit(PUSH); emit(1); emit(SHRU); emit(STORE); emit(2);  /* x >>= 1 */
    emit(NOP);
    emit(JMP); int again2 = emit(0);
    code[again2] = top - code_size;
    code[done_at] = code_size - done_at - 1;
    emit(RET);
}

__attribute__((export_name("run")))
uint32_t run(int n) {
    uint32_t regs[8] = {0}, stack[64];
    int return_stack[16];
    int sp = 0, rsp = 0, pc = 0;
    assemble();
    regs[0] = (uint32_t)n + 1;
    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case HALT: return stack[sp - 1];
        case PUSH: stack[sp++] = (uint32_t)code[pc++]; break;
        case LOAD: stack[sp++] = regs[code[pc++]]; break;
        case STORE: regs[code[pc++]] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OR: sp--; stack[sp - 1] |= stack[sp]; break;
        case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case SHL: sp--; stack[sp - 1] <<= stack[sp] & 31; break;
        case SHRU: sp--; stack[sp - 1] >>= stack[sp] & 31; break;
        case LTU: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case JMP: pc += code[pc] + 1; break;
        case JZ: pc += stack[--sp] == 0 ? code[pc] + 1 : 1; break;
        case JNZ: pc += stack[--sp] != 0 ? code[pc] + 1 : 1; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case DROP: sp--; break;
        case SWAP: { uint32_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case INC: regs[code[pc++]]++; break;
        case CALL: return_stack[rsp++] = pc + 1; pc = code[pc]; break;
        case RET: pc = return_stack[--rsp]; break;
        case NOP: break;
        default: return 0xdeadu;
        }
    }
}
