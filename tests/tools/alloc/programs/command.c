/* A WASI command: allocates 64 blocks, frees every third, prints one byte back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    char *keep[64];
    for (int i = 0; i < 64; i++) { keep[i] = malloc(16 + i * 24); memset(keep[i], i, 16); }
    for (int i = 0; i < 64; i += 3) free(keep[i]);
    printf("done %d\n", keep[1][0]);
    return 0;
}
