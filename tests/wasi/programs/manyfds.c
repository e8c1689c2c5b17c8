/* Running out of descriptors: opens `a.txt` again and again (at most 1000 times) while
 * the host allows it. The test lowers the host's limit of open files, so the guest must
 * get an error (not a crash of the engine); then closing them all makes opening work
 * again. How many opens succeed depends on the engine's own use of host descriptors, so
 * only the error and its recovery are printed.
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    static int fds[1000];
    int opened = 0, error = 0;
    while (opened < 1000) {
        int fd = open("a.txt", O_RDONLY);
        if (fd < 0) {
            error = errno;
            break;
        }
        fds[opened++] = fd;
    }
    printf("stopped before 1000 opens: %s\n", opened < 1000 ? "yes" : "no");
    printf("error: %s\n", error ? strerror(error) : "none");
    printf("more than 20 opens worked: %s\n", opened > 20 ? "yes" : "no");
    int closed = 0;
    for (int i = 0; i < opened; i++) closed += close(fds[i]) == 0;
    printf("closed all: %s\n", closed == opened ? "yes" : "no");
    int fd = open("a.txt", O_RDONLY);
    char buf[16] = {0};
    printf("open after closing: %s, read %zd\n", fd >= 0 ? "ok" : strerror(errno),
           read(fd, buf, sizeof buf - 1));
    return 0;
}
