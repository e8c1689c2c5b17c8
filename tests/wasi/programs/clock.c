/* The clocks: realtime, monotonic, their resolutions, nanosleep and clock_nanosleep.
 * Values that change from run to run are printed as `name=value` lines; the test checks
 * their properties. Everything else is decided here and printed as yes/no.
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static int64_t ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

static int64_t now(clockid_t clock) {
    struct timespec t;
    if (clock_gettime(clock, &t) != 0) return -1;
    return ns(t);
}

int main(void) {
    struct timespec res;
    printf("clock_getres(REALTIME) %d\n", clock_getres(CLOCK_REALTIME, &res));
    printf("res_realtime=%lld\n", (long long)ns(res));
    printf("clock_getres(MONOTONIC) %d\n", clock_getres(CLOCK_MONOTONIC, &res));
    printf("res_monotonic=%lld\n", (long long)ns(res));

    int64_t real = now(CLOCK_REALTIME);
    printf("realtime=%lld\n", (long long)real);
    time_t seconds = time(NULL);
    /* within 10 s: a loaded machine may stop the process between the two readings */
    printf("time() agrees with realtime: %s\n",
           seconds - real / 1000000000 <= 10 && seconds >= real / 1000000000 ? "yes" : "no");
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("gettimeofday agrees with realtime: %s\n",
           tv.tv_sec - real / 1000000000 <= 10 && tv.tv_sec >= real / 1000000000 ? "yes"
                                                                                : "no");

    int64_t before = now(CLOCK_MONOTONIC);
    int decreasing = 0;
    int64_t last = before;
    for (int i = 0; i < 1000; i++) {
        int64_t t = now(CLOCK_MONOTONIC);
        if (t < last) decreasing = 1;
        last = t;
    }
    printf("monotonic never decreases: %s\n", decreasing ? "no" : "yes");

    struct timespec request = {0, 30 * 1000000}; /* 30 ms */
    int64_t start = now(CLOCK_MONOTONIC);
    int slept = nanosleep(&request, NULL);
    int64_t elapsed = now(CLOCK_MONOTONIC) - start;
    printf("nanosleep(30 ms) %d\n", slept);
    printf("nanosleep_elapsed=%lld\n", (long long)elapsed);

    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    int64_t target = ns(until) + 20 * 1000000; /* 20 ms ahead, absolute */
    until.tv_sec = target / 1000000000;
    until.tv_nsec = target % 1000000000;
    int absolute = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
    printf("clock_nanosleep(absolute) %d\n", absolute);
    printf("after absolute deadline: %s\n", now(CLOCK_MONOTONIC) >= target ? "yes" : "no");

    struct timespec zero = {0, 0};
    printf("nanosleep(0) %d\n", nanosleep(&zero, NULL));
    struct timespec bad = {0, 1000000000};
    errno = 0;
    int invalid = nanosleep(&bad, NULL);
    printf("nanosleep(1e9 ns) %d %s\n", invalid, invalid ? strerror(errno) : "");

    int64_t later = now(CLOCK_REALTIME);
    printf("realtime advanced: %s\n", later >= real ? "yes" : "no");
    return 0;
}
