/* Sandbox escape attempts: every one must fail. The preopened directory holds
 * `inside.txt` and a folder `sub`; its parent (outside the sandbox) holds `secret.txt`.
 * Each attempt prints "ok" or the error; a file that opens is read and its first bytes
 * printed, so an escape shows the secret in the output.
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int escaped;

static void report(const char *what, int value) {
    if (value < 0)
        printf("%-44s denied: %s\n", what, strerror(errno));
    else
        printf("%-44s ok\n", what);
}

static void try_open(const char *path, int flags) {
    char what[128];
    snprintf(what, sizeof what, "open %s%s", path, flags & O_CREAT ? " (create)" : "");
    int fd = open(path, flags, 0644);
    report(what, fd);
    if (fd < 0) return;
    char data[64] = {0};
    ssize_t n = read(fd, data, sizeof data - 1);
    if (n > 0) {
        printf("  read [%.*s]\n", (int)strcspn(data, "\n"), data);
        if (strstr(data, "SECRET") != NULL || strstr(data, "root:") != NULL) escaped = 1;
    }
    close(fd);
}

static void try_stat(const char *path) {
    struct stat st;
    char what[128];
    snprintf(what, sizeof what, "stat %s", path);
    report(what, stat(path, &st));
}

static void try_opendir(const char *path) {
    char what[128];
    snprintf(what, sizeof what, "opendir %s", path);
    DIR *dir = opendir(path);
    report(what, dir == NULL ? -1 : 0);
    if (dir == NULL) return;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL)
        if (strcmp(entry->d_name, "secret.txt") == 0) {
            printf("  lists secret.txt\n");
            escaped = 1;
        }
    closedir(dir);
}

int main(void) {
    /* plain paths */
    try_open("inside.txt", O_RDONLY);
    try_open("../secret.txt", O_RDONLY);
    try_open("/../secret.txt", O_RDONLY);
    try_open("sub/../../secret.txt", O_RDONLY);
    try_open("./sub/../../secret.txt", O_RDONLY);
    try_open("../../etc/passwd", O_RDONLY);
    try_open("../../../../../../../../etc/passwd", O_RDONLY);
    try_open("/etc/passwd", O_RDONLY);
    try_open("../created.txt", O_CREAT | O_WRONLY);
    try_stat("../secret.txt");
    try_opendir("..");
    try_opendir("sub/../..");
    report("mkdir ../newdir", mkdir("../newdir", 0755));
    report("unlink ../secret.txt", unlink("../secret.txt"));
    report("rmdir ..", rmdir(".."));

    /* symlinks made by the guest */
    report("symlink evil -> ../secret.txt", symlink("../secret.txt", "evil"));
    try_open("evil", O_RDONLY);
    try_stat("evil");
    report("symlink abs -> /etc/passwd", symlink("/etc/passwd", "abs"));
    try_open("abs", O_RDONLY);
    report("symlink sub/up -> ..", symlink("..", "sub/up"));
    try_open("sub/up/inside.txt", O_RDONLY);
    try_open("sub/up/../secret.txt", O_RDONLY);
    report("symlink sub/out -> ../..", symlink("../..", "sub/out"));
    try_open("sub/out/secret.txt", O_RDONLY);
    try_opendir("sub/out");
    report("symlink chain1 -> chain2", symlink("chain2", "chain1"));
    report("symlink chain2 -> sub/out/secret.txt", symlink("sub/out/secret.txt", "chain2"));
    try_open("chain1", O_RDONLY);
    try_open("evil", O_WRONLY | O_CREAT);
    report("symlink loop1 -> loop2", symlink("loop2", "loop1"));
    report("symlink loop2 -> loop1", symlink("loop1", "loop2"));
    try_open("loop1", O_RDONLY);

    /* hard links and renames */
    report("link ../secret.txt -> hard", link("../secret.txt", "hard"));
    report("link sub/out/secret.txt -> hard2", link("sub/out/secret.txt", "hard2"));
    report("link inside.txt -> ../hard3", link("inside.txt", "../hard3"));
    report("rename inside.txt -> ../moved.txt", rename("inside.txt", "../moved.txt"));
    report("rename inside.txt -> sub/out/moved.txt", rename("inside.txt", "sub/out/moved.txt"));
    report("rename ../secret.txt -> stolen.txt", rename("../secret.txt", "stolen.txt"));
    try_open("stolen.txt", O_RDONLY);
    try_open("inside.txt", O_RDONLY);

    printf("escaped: %s\n", escaped ? "YES" : "no");
    return escaped;
}
