/* A WASI command that crosses the host boundary constantly: every line of its report is
   written with an unbuffered fd_write, it reads the clock and asks for random bytes each
   round (neither affects the output), and it reads its arguments and environment.
   Built at -O2. Our own code. Usage: chatty N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 10;
    setvbuf(stdout, NULL, _IONBF, 0);
    unsigned h = 2166136261u, bytes = 0;
    struct timespec ts;
    char line[96], noise[8];
    for (int i = 0; i < n; i++) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        getentropy(noise, sizeof noise);
        h = (h ^ (unsigned)i) * 16777619u;
        int len = snprintf(line, sizeof line, "%6d %08x %s\n", i, h, i % 3 ? "tick" : "tock");
        bytes += (unsigned)len;
        fputs(line, stdout);
    }
    volatile int environment_read = getenv("HOME") != NULL;
    (void)environment_read;
    fprintf(stderr, "lines %d bytes %u args %d\n", n, bytes, argc);
    return 0;
}
