/* random: getentropy and arc4random. The bytes are printed in hex; the test checks their
 * properties (length, not all equal, draws differ) since they differ on every run.
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void hex(const char *label, const unsigned char *bytes, size_t length) {
    printf("%s ", label);
    for (size_t i = 0; i < length; i++) printf("%02x", bytes[i]);
    printf("\n");
}

int main(void) {
    unsigned char first[32], second[32], big[256];
    if (getentropy(first, sizeof first) != 0 || getentropy(second, sizeof second) != 0) {
        perror("getentropy");
        return 1;
    }
    hex("getentropy1", first, sizeof first);
    hex("getentropy2", second, sizeof second);
    printf("getentropy(256) %d\n", getentropy(big, sizeof big));
    errno = 0;
    int too_big = getentropy(big, 257);
    printf("getentropy(257) %d %s\n", too_big, too_big ? strerror(errno) : "");
    printf("getentropy(0) %d\n", getentropy(big, 0));
    unsigned char buffer[64];
    arc4random_buf(buffer, sizeof buffer);
    hex("arc4random_buf", buffer, sizeof buffer);
    printf("arc4random %08x %08x\n", arc4random(), arc4random());
    int in_range = 1;
    unsigned seen = 0;
    for (int i = 0; i < 1000; i++) {
        uint32_t value = arc4random_uniform(10);
        if (value >= 10) in_range = 0;
        seen |= 1u << value;
    }
    printf("arc4random_uniform(10) in range %s, all ten seen %s\n", in_range ? "yes" : "no",
           seen == 0x3ff ? "yes" : "no");
    return 0;
}
