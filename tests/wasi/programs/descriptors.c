/* File descriptors beyond open/read/write: rights (reading a write-only descriptor),
 * fcntl flags, readv/writev, preadv/pwritev (a short transfer is allowed: the program
 * checks it is a prefix and finishes the rest), fsync/fdatasync, posix_fadvise, the *at calls relative to a directory descriptor, fd_renumber, isatty,
 * poll on regular files, sched_yield, and the errors of bad descriptors.
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <wasi/api.h>

static void result(const char *what, long value) {
    if (value < 0)
        printf("%-36s -> -1 %s\n", what, strerror(errno));
    else
        printf("%-36s -> %ld\n", what, value);
}

int main(void) {
    int fd = open("log.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    result("open log.txt write-only", fd < 0 ? -1 : 0);
    char buf[64] = {0};
    result("read a write-only descriptor", read(fd, buf, 4));
    struct iovec out[3] = {{"one ", 4}, {"two ", 4}, {"three\n", 6}};
    ssize_t wrote = writev(fd, out, 3);
    result("writev 3 buffers: a prefix", wrote > 0 && wrote <= 14);
    if (wrote > 0 && wrote < 14) write(fd, &"one two three\n"[wrote], (size_t)(14 - wrote));
    result("fcntl F_GETFL has O_APPEND", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    result("fcntl F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
    result("fcntl F_GETFL has O_APPEND", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    lseek(fd, 0, SEEK_SET);
    result("write with O_APPEND after lseek 0", write(fd, "four\n", 5));
    result("fcntl F_GETFD", fcntl(fd, F_GETFD));
    result("fsync", fsync(fd));
    result("fdatasync", fdatasync(fd));
    result("posix_fadvise SEQUENTIAL", -posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
    result("isatty(file)", isatty(fd));
    result("close", close(fd));

    fd = open("log.txt", O_RDONLY);
    result("write a read-only descriptor", write(fd, "x", 1));
    /* denied; which errno is the engine's choice: Linux says EINVAL, WASI's rights model
     * ENOTCAPABLE (the descriptor was opened without FD_FILESTAT_SET_SIZE) */
    result("ftruncate a read-only descriptor fails", ftruncate(fd, 0) != 0);
    char a[5] = {0}, b[8] = {0};
    struct iovec in[2] = {{a, 4}, {b, 7}};
    ssize_t got = readv(fd, in, 2);
    result("readv 4 + 7: a prefix", got > 0 && got <= 11 &&
                                        memcmp(a, "one ", got < 4 ? (size_t)got : 4) == 0 &&
                                        (got <= 4 || memcmp(b, "two thr", (size_t)got - 4) == 0));
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    got = preadv(fd, in, 2, 8);
    result("preadv at 8: a prefix", got > 0 && got <= 11 &&
                                        memcmp(a, "thre", got < 4 ? (size_t)got : 4) == 0);
    off_t offset = lseek(fd, 0, SEEK_CUR);
    result("offset unchanged by preadv", offset >= 1 && offset <= 11);
    struct pollfd polls[2] = {{fd, POLLIN, 0}, {fd, POLLOUT, 0}};
    int ready = poll(polls, 1, 1000);
    result("poll a file for reading", ready);
    printf("  revents POLLIN %d\n", (polls[0].revents & POLLIN) != 0);
    close(fd);

    fd = open("data.bin", O_CREAT | O_RDWR, 0644);
    struct iovec at[2] = {{"AB", 2}, {"CD", 2}};
    wrote = pwritev(fd, at, 2, 4);
    result("pwritev at 4 (hole before): a prefix", wrote > 0 && wrote <= 4);
    if (wrote > 0 && wrote < 4) pwrite(fd, &"ABCD"[wrote], (size_t)(4 - wrote), 4 + wrote);
    struct stat st;
    fstat(fd, &st);
    printf("  size %lld\n", (long long)st.st_size);

    int dir = open("nested", O_DIRECTORY | O_RDONLY);
    result("open missing dir", dir);
    mkdir("nested", 0755);
    dir = open("nested", O_DIRECTORY | O_RDONLY);
    result("open dir O_DIRECTORY", dir < 0 ? -1 : 0);
    result("read a directory", read(dir, buf, 4));
    result("write a directory", write(dir, "x", 1));
    int inner = openat(dir, "inner.txt", O_CREAT | O_WRONLY, 0644);
    result("openat dir inner.txt", inner < 0 ? -1 : 0);
    result("write inner", write(inner, "inner\n", 6));
    close(inner);
    result("fstatat inner.txt", fstatat(dir, "inner.txt", &st, 0));
    printf("  size %lld\n", (long long)st.st_size);
    result("mkdirat dir sub", mkdirat(dir, "sub", 0755));
    result("renameat inner.txt -> sub/moved", renameat(dir, "inner.txt", dir, "sub/moved"));
    result("linkat sub/moved -> linked", linkat(dir, "sub/moved", dir, "linked", 0));
    result("symlinkat -> linked", symlinkat("linked", dir, "soft"));
    result("fstatat soft NOFOLLOW", fstatat(dir, "soft", &st, AT_SYMLINK_NOFOLLOW));
    printf("  symlink %d\n", S_ISLNK(st.st_mode));
    result("faccessat linked R_OK", faccessat(dir, "linked", R_OK, 0));
    result("faccessat missing F_OK", faccessat(dir, "missing", F_OK, 0));
    result("unlinkat soft", unlinkat(dir, "soft", 0));
    result("unlinkat sub (no AT_REMOVEDIR)", unlinkat(dir, "sub", 0));
    result("unlinkat sub/moved", unlinkat(dir, "sub/moved", 0));
    result("unlinkat sub AT_REMOVEDIR", unlinkat(dir, "sub", AT_REMOVEDIR));

    /* fd_renumber: data.bin's descriptor takes the number of the directory's */
    __wasi_errno_t renumbered = __wasi_fd_renumber((__wasi_fd_t)fd, (__wasi_fd_t)dir);
    printf("%-36s -> %d\n", "fd_renumber file -> dir number", renumbered);
    result("fstat the renumbered descriptor", fstat(dir, &st));
    printf("  regular %d size %lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
    result("fstat the old number", fstat(fd, &st));
    printf("%-36s -> %d\n", "fd_renumber bad source",
           __wasi_fd_renumber(1000, (__wasi_fd_t)dir));
    close(dir);

    result("close a bad descriptor", close(1000));
    result("read a bad descriptor", read(-1, buf, 1));
    result("lseek stdin (a pipe or file)", lseek(0, 0, SEEK_CUR) < 0 ? -1 : 0);
    result("sched_yield", sched_yield());
    return 0;
}
