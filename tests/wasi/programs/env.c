/* getenv / environ / setenv / unsetenv. The environment is printed sorted, so the test
 * does not depend on the order in which an engine passes the variables.
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int by_text(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void show(const char *name) {
    const char *value = getenv(name);
    if (value == NULL)
        printf("getenv(%s) = NULL\n", name);
    else
        printf("getenv(%s) = [%s] (%zu bytes)\n", name, value, strlen(value));
}

int main(void) {
    size_t count = 0;
    while (environ[count] != NULL) count++;
    char **sorted = malloc((count + 1) * sizeof *sorted);
    if (sorted == NULL) return 1;
    memcpy(sorted, environ, count * sizeof *sorted);
    qsort(sorted, count, sizeof *sorted, by_text);
    printf("environ: %zu variables\n", count);
    for (size_t i = 0; i < count; i++) printf("  %s\n", sorted[i]);
    free(sorted);
    show("HOME");
    show("GREETING");
    show("EMPTY");
    show("EQUALS");
    show("UNICODE");
    show("MISSING");
    setenv("ADDED", "by the guest", 0);
    setenv("GREETING", "replaced", 1);
    unsetenv("HOME");
    show("ADDED");
    show("GREETING");
    show("HOME");
    return 0;
}
