/* The preview 1 functions called directly (wasi/api.h), with the arguments libc never
 * passes: bad descriptors, bad flags, seeks before the start, tiny buffers for fd_readdir,
 * path_readlink and fd_prestat_dir_name, poll_oneoff with clock subscriptions, sockets that are not sockets. Prints each errno number.
 * The preopened directory starts with `a.txt` and `link` -> `a.txt`. Values outside an
 * enum (a clock id of 99, whence 7, unknown oflags bits) are left out: wasmtime stops the program with a host
 * error for them instead of answering an errno, so there is nothing to compare; so is fd_fdstat_set_rights, which
 * wasmtime no longer supports (ENOTSUP) while wasmem keeps preview 1's rights.
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define ROOT 3 /* the first preopened directory */

static void show(const char *what, __wasi_errno_t error) { printf("%-44s errno %d\n", what, error); }

static __wasi_fd_t open_file(const char *path, __wasi_rights_t rights) {
    __wasi_fd_t fd = 0;
    __wasi_errno_t e = __wasi_path_open(ROOT, 0, path, 0, rights, 0, 0, &fd);
    return e ? (__wasi_fd_t)-1 : fd;
}

int main(void) {
    __wasi_prestat_t prestat;
    show("fd_prestat_get 3", __wasi_fd_prestat_get(ROOT, &prestat));
    printf("  tag %d name_len %u\n", prestat.tag, (unsigned)prestat.u.dir.pr_name_len);
    char name[8] = {0};
    show("fd_prestat_dir_name into 0 bytes", __wasi_fd_prestat_dir_name(ROOT, (uint8_t *)name, 0));
    show("fd_prestat_get 0 (stdin)", __wasi_fd_prestat_get(0, &prestat));
    show("fd_prestat_get 99", __wasi_fd_prestat_get(99, &prestat));


    __wasi_fd_t fd = 0;
    show("path_open DIRECTORY on a file",
         __wasi_path_open(ROOT, 0, "a.txt", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd));
    show("path_open CREAT|EXCL on an existing file",
         __wasi_path_open(ROOT, 0, "a.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL,
                          __WASI_RIGHTS_FD_READ, 0, 0, &fd));
    show("path_open link without SYMLINK_FOLLOW",
         __wasi_path_open(ROOT, 0, "link", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
    show("path_open link with SYMLINK_FOLLOW",
         __wasi_path_open(ROOT, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", 0,
                          __WASI_RIGHTS_FD_READ, 0, 0, &fd));
    show("path_open on a non-directory fd (stdout)",
         __wasi_path_open(1, 0, "a.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));

    __wasi_fd_t file = open_file("a.txt", __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK |
                                              __WASI_RIGHTS_FD_TELL |
                                              __WASI_RIGHTS_FD_FILESTAT_SET_TIMES);
    printf("opened a.txt: %s\n", file == (__wasi_fd_t)-1 ? "no" : "yes");
    show("path_create_directory on a file's fd", __wasi_path_create_directory(file, "d"));
    __wasi_filestat_t filestat;
    show("path_filestat_get on a file's fd", __wasi_path_filestat_get(file, 0, "x", &filestat));
    show("path_open on a bad fd",
         __wasi_path_open(99, 0, "a.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
    __wasi_filesize_t position;
    show("fd_seek to -1 from the start", __wasi_fd_seek(file, -1, __WASI_WHENCE_SET, &position));
    show("fd_seek END -2", __wasi_fd_seek(file, -2, __WASI_WHENCE_END, &position));
    printf("  position %llu\n", (unsigned long long)position);
    show("fd_tell", __wasi_fd_tell(file, &position));
    printf("  position %llu\n", (unsigned long long)position);
    show("fd_write without FD_WRITE", 0);
    __wasi_ciovec_t out = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    show("  fd_write", __wasi_fd_write(file, &out, 1, &n));
    __wasi_fdstat_t stat;
    show("fd_fdstat_get", __wasi_fd_fdstat_get(file, &stat));
    printf("  filetype %d rights FD_READ %d FD_WRITE %d\n", stat.fs_filetype,
           (stat.fs_rights_base & __WASI_RIGHTS_FD_READ) != 0,
           (stat.fs_rights_base & __WASI_RIGHTS_FD_WRITE) != 0);
    show("fd_filestat_set_times ATIM|ATIM_NOW",
         __wasi_fd_filestat_set_times(file, 0, 0,
                                      __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
    show("fd_close", __wasi_fd_close(file));
    show("fd_close again", __wasi_fd_close(file));

    char target[16];
    __wasi_size_t used = 99;
    show("path_readlink into 3 bytes", __wasi_path_readlink(ROOT, "link", (uint8_t *)target, 3,
                                                            &used));
    printf("  used %u [%.*s]\n", (unsigned)used, (int)(used < 3 ? used : 3), target);
    show("path_readlink a regular file",
         __wasi_path_readlink(ROOT, "a.txt", (uint8_t *)target, sizeof target, &used));

    uint8_t entries[256];
    __wasi_size_t got = 0;
    show("fd_readdir into 10 bytes", __wasi_fd_readdir(ROOT, entries, 10, 0, &got));
    printf("  bufused %u (full: %s)\n", (unsigned)got, got == 10 ? "yes" : "no");
    show("fd_readdir a file (stdout)", __wasi_fd_readdir(1, entries, sizeof entries, 0, &got));
    show("fd_readdir past the end (cookie 1000)",
         __wasi_fd_readdir(ROOT, entries, sizeof entries, 1000, &got));
    printf("  bufused %u\n", (unsigned)got);

    __wasi_subscription_t subs[2];
    __wasi_event_t events[2];
    memset(subs, 0, sizeof subs);
    subs[0].userdata = 42;
    subs[0].u.tag = __WASI_EVENTTYPE_CLOCK;
    subs[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    subs[0].u.u.clock.timeout = 1000000; /* 1 ms */
    show("poll_oneoff one relative clock", __wasi_poll_oneoff(subs, events, 1, &got));
    printf("  events %u userdata %llu error %d type %d\n", (unsigned)got,
           (unsigned long long)events[0].userdata, events[0].error, events[0].type);
    show("poll_oneoff no subscriptions", __wasi_poll_oneoff(subs, events, 0, &got));

    __wasi_iovec_t in = {(uint8_t *)target, sizeof target};
    __wasi_roflags_t roflags;
    show("sock_recv on stdin", __wasi_sock_recv(0, &in, 1, 0, &used, &roflags));
    show("sock_send on stdout", __wasi_sock_send(1, &out, 1, 0, &used));
    show("sock_shutdown on stdout", __wasi_sock_shutdown(1, __WASI_SDFLAGS_RD));
    show("sock_shutdown on a bad fd", __wasi_sock_shutdown(99, __WASI_SDFLAGS_RD));
    show("sched_yield", __wasi_sched_yield());
    return 0;
}
