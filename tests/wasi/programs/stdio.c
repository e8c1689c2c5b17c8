/* printf and stdin: formats, line-by-line reading, a binary checksum, stderr.
 *   stdio lines   read stdin with fgets, echo each line upper-cased with its number
 *   stdio sum     read stdin with read(2) in 4 KiB chunks, print byte count and checksum
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void formats(void) {
    printf("int %d %i %5d|%-5d|%05d %+d\n", -42, 7, 12, 12, 12, 3);
    printf("unsigned %u %x %X %o %#x %lu %llu\n", 4000000000u, 48879u, 48879u, 8u, 255u,
           4000000000ul, 18446744073709551615ull);
    printf("float %f %.3f %e %g %g %10.4f|\n", 3.14159, 2.0 / 3.0, 12345.678, 0.0001,
           1e20, -1.5);
    printf("string [%s] [%10s] [%-10s] [%.3s] %c%c\n", "wasm", "right", "left", "truncate",
           'o', 'k');
    printf("percent 100%% size %zu ptrdiff %td\n", sizeof(long long), (ptrdiff_t)-3);
    char buffer[64];
    int n = snprintf(buffer, sizeof buffer, "%08.3f/%s", 3.5, "snprintf");
    printf("snprintf %d [%s]\n", n, buffer);
}

static int lines(void) {
    char line[256];
    int number = 0;
    size_t total = 0;
    while (fgets(line, sizeof line, stdin) != NULL) {
        size_t length = strlen(line);
        if (length > 0 && line[length - 1] == '\n') line[--length] = '\0';
        for (size_t i = 0; i < length; i++) line[i] = (char)toupper((unsigned char)line[i]);
        printf("%3d %3zu %s\n", ++number, length, line);
        total += length;
    }
    printf("lines %d chars %zu eof %d error %d\n", number, total, feof(stdin),
           ferror(stdin));
    return 0;
}

static int sum(void) {
    unsigned char chunk[4096];
    uint64_t count = 0;
    uint32_t hash = 2166136261u; /* FNV-1a */
    for (;;) {
        ssize_t got = read(0, chunk, sizeof chunk);
        if (got < 0) {
            perror("read");
            return 1;
        }
        if (got == 0) break;
        for (ssize_t i = 0; i < got; i++) hash = (hash ^ chunk[i]) * 16777619u;
        count += (uint64_t)got;
    }
    printf("bytes %llu fnv1a %08x\n", (unsigned long long)count, hash);
    return 0;
}

int main(int argc, char **argv) {
    formats();
    fprintf(stderr, "stderr: unbuffered %s\n", argc > 1 ? argv[1] : "(none)");
    fflush(stdout);
    int status = 2;
    if (argc > 1 && strcmp(argv[1], "lines") == 0) status = lines();
    if (argc > 1 && strcmp(argv[1], "sum") == 0) status = sum();
    fputs("done\n", stdout);
    fputs("stderr: done\n", stderr);
    return status;
}
