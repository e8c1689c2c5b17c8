/* bench/startup.py: a first-result probe using more of wasi-libc than cbench.c.
   Build (Debian clang-14, lld, wasi-libc):
     clang-14 --target=wasm32-wasi --sysroot=/usr -O2 -nostartfiles -Wl,--no-entry \
       -Wl,--export=run -Wl,--strip-debug -Wall -Wextra -Werror \
       -o startup_libc.wasm startup_libc.c
   stdio is linked in, so the module imports fd_close, fd_seek and fd_write (never called
   by run: nothing is written); the benchmark passes stubs for them.
   run(n): n rounds of formatting 16 numbers (snprintf), sorting them as strings (qsort,
   strcmp) and parsing them back (strtod), with malloc/free; returns a checksum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_text(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

__attribute__((export_name("run")))
uint32_t run(uint32_t n) {
  uint32_t sum = 0;
  for (uint32_t round = 0; round < n; round++) {
    char *words[16];
    for (int k = 0; k < 16; k++) {
      words[k] = malloc(32);
      snprintf(words[k], 32, "%u:%.3f", (unsigned)((k * 7919u + round) % 97u),
               (k + round) / 7.0);
    }
    qsort(words, 16, sizeof words[0], by_text);
    for (int k = 0; k < 16; k++) {
      char *end;
      double value = strtod(strchr(words[k], ':') + 1, &end);
      sum = sum * 31u + (uint32_t)(value * 1000.0) + (uint32_t)strlen(words[k]);
      free(words[k]);
    }
  }
  return sum;
}
