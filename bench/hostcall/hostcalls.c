/* A WASI-heavy program for bench/hostcall.py: every iteration crosses the host boundary
 * several times with small calls, as interactive and logging programs do: an unbuffered
 * printf (one fd_write), a short fwrite to stderr (one fd_write), clock_gettime
 * (clock_time_get) and getentropy (random_get). argv[1] is the iteration count.
 * Build: see build.sh in this folder. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 1000;
    unsigned long mix = 0;
    setvbuf(stdout, NULL, _IONBF, 0);
    setvbuf(stderr, NULL, _IONBF, 0);
    for (int i = 0; i < count; i++) {
        struct timespec now;
        unsigned char noise[8];
        printf("%d\n", i);
        fwrite("x", 1, 1, stderr);
        clock_gettime(CLOCK_MONOTONIC, &now);
        getentropy(noise, sizeof noise);
        mix += (unsigned long)(now.tv_nsec & 1) + noise[0];
    }
    printf("done %d %d\n", count, (int)(mix != 0));
    return 0;
}
