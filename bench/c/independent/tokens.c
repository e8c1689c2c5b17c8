/* A switch-based tokenizer (state machine over characters) of generated C-like source
   text: identifiers, numbers (decimal/hex/float), strings with escapes, comments,
   operators; keeps counts and a hash of token kinds. Built at -Os. Our own code. */
#include <stddef.h>

static char text[1 << 16];

static unsigned seed;
static unsigned rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 16; }

static size_t generate(size_t len) {
    static const char *const pieces[] = {
        "int ", "x", "foo_bar", " = ", "0x1F", "123", "4.5e3", ";\n", "/* c */", "// line\n",
        "\"str\\n\"", "+", "-", "*", "==", "!=", "<=", "(", ")", "{", "}", "'a'", " ", "\t",
        "while", "return ", "->", "&&", "||", "abc123", "0755", ".5", "\"q\\\"x\"", "\n",
    };
    size_t n = 0;
    while (n + 16 < len) {
        const char *p = pieces[rnd() % (sizeof pieces / sizeof pieces[0])];
        while (*p) text[n++] = *p++;
    }
    text[n] = 0;
    return n;
}

enum { T_ID = 1, T_NUM, T_FLOAT, T_STR, T_CHAR, T_OP, T_COMMENT, T_KEYWORD };

static int keyword(const char *s, size_t n) {
    return (n == 3 && s[0] == 'i' && s[1] == 'n' && s[2] == 't') ||
           (n == 5 && s[0] == 'w' && s[1] == 'h') || (n == 6 && s[0] == 'r' && s[1] == 'e');
}

static unsigned tokenize(size_t len, unsigned counts[9]) {
    unsigned h = 2166136261u;
    size_t i = 0;
    while (i < len) {
        char c = text[i];
        int kind = 0;
        size_t start = i;
        switch (c) {
        case ' ': case '\t': case '\n': case '\r': i++; continue;
        case 'a': case 'b': case 'c': case 'd': case 'e': case 'f': case 'g': case 'h':
        case 'i': case 'j': case 'k': case 'l': case 'm': case 'n': case 'o': case 'p':
        case 'q': case 'r': case 's': case 't': case 'u': case 'v': case 'w': case 'x':
        case 'y': case 'z': case '_':
            while (i < len) {
                char d = text[i];
                if ((d >= 'a' && d <= 'z') || (d >= '0' && d <= '9') || d == '_') i++;
                else break;
            }
            kind = keyword(text + start, i - start) ? T_KEYWORD : T_ID;
            break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        case '8': case '9': case '.':
            kind = T_NUM;
            if (c == '0' && text[i + 1] == 'x') {
                i += 2;
                while ((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'A' && text[i] <= 'F')) i++;
            } else {
                while (text[i] >= '0' && text[i] <= '9') i++;
                if (text[i] == '.') { kind = T_FLOAT; i++; while (text[i] >= '0' && text[i] <= '9') i++; }
                if (text[i] == 'e') { kind = T_FLOAT; i++; while (text[i] >= '0' && text[i] <= '9') i++; }
            }
            break;
        case '"': case '\'':
            kind = c == '"' ? T_STR : T_CHAR;
            i++;
            while (i < len && text[i] != c) i += text[i] == '\\' ? 2 : 1;
            i++;
            break;
        case '/':
            if (text[i + 1] == '*') {
                i += 2;
                while (i < len && !(text[i] == '*' && text[i + 1] == '/')) i++;
                i += 2; kind = T_COMMENT;
            } else if (text[i + 1] == '/') {
                while (i < len && text[i] != '\n') i++;
                kind = T_COMMENT;
            } else { i++; kind = T_OP; }
            break;
        case '=': case '!': case '<': case '>':
            i += text[i + 1] == '=' ? 2 : 1; kind = T_OP; break;
        case '-':
            i += text[i + 1] == '>' ? 2 : 1; kind = T_OP; break;
        case '&': case '|':
            i += text[i + 1] == c ? 2 : 1; kind = T_OP; break;
        default:
            i++; kind = T_OP; break;
        }
        counts[kind]++;
        h = (h ^ (unsigned)kind ^ (unsigned)(i - start) << 8) * 16777619u;
    }
    return h;
}

unsigned run(int n) {
    unsigned counts[9] = {0};
    seed = 7;
    size_t len = generate(4096);
    unsigned h = 0;
    for (int r = 0; r < n; r++) {
        text[r % len] = text[r % len] == ' ' ? '\t' : text[r % len];
        h = h * 33u + tokenize(len, counts);
    }
    for (int k = 0; k < 9; k++) h = h * 7u + counts[k];
    return h;
}
