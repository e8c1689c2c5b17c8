/* Files and directories inside the preopened directory: create, write, read, seek,
 * pread/pwrite, append, truncate/ftruncate, stat/fstat/lstat, set times, rename, link,
 * symlink/readlink, readdir, unlink, mkdir/rmdir, and the errors of each. The first
 * argument is the folder to work in (default "."). What is left behind is compared with
 * what another engine leaves behind.
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char base[256];

static const char *at(const char *name) {
    static char paths[4][512];
    static int next;
    char *path = paths[next++ % 4];
    snprintf(path, 512, "%s/%s", base, name);
    return path;
}

static void result(const char *what, int value) {
    if (value < 0)
        printf("%-34s -> -1 %s\n", what, strerror(errno));
    else
        printf("%-34s -> %d\n", what, value);
}

static const char *kind(mode_t mode) {
    return S_ISREG(mode) ? "file" : S_ISDIR(mode) ? "dir" : S_ISLNK(mode) ? "symlink"
                                                                       : "other";
}

static void show_stat(const char *name, int follow) {
    struct stat st;
    int r = follow ? stat(at(name), &st) : lstat(at(name), &st);
    if (r != 0) {
        printf("%s %s: %s\n", follow ? "stat" : "lstat", name, strerror(errno));
        return;
    }
    printf("%s %s: %s", follow ? "stat" : "lstat", name, kind(st.st_mode));
    if (!S_ISDIR(st.st_mode)) printf(" size %lld", (long long)st.st_size);
    printf(" nlink %llu\n", (unsigned long long)st.st_nlink);
}

static void show_file(const char *name) {
    FILE *f = fopen(at(name), "rb");
    if (f == NULL) {
        printf("read %s: %s\n", name, strerror(errno));
        return;
    }
    char data[512];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    printf("read %s: %zu bytes [", name, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c >= 32 && c < 127)
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    printf("]\n");
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *name) {
    DIR *dir = opendir(at(name));
    if (dir == NULL) {
        printf("list %s: %s\n", name, strerror(errno));
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && n < 64) {
        char line[300];
        const char *type = entry->d_type == DT_DIR   ? "/"
                           : entry->d_type == DT_LNK ? "@"
                           : entry->d_type == DT_REG ? ""
                                                     : "?";
        snprintf(line, sizeof line, "%s%s", entry->d_name, type);
        names[n++] = strdup(line);
    }
    closedir(dir);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    printf("list %s:", name);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void descriptors(void) {
    int fd = open(at("data.bin"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    result("open data.bin O_CREAT|O_RDWR", fd < 0 ? -1 : 0);
    result("write 26 letters", (int)write(fd, "abcdefghijklmnopqrstuvwxyz", 26));
    result("lseek SEEK_CUR 0", (int)lseek(fd, 0, SEEK_CUR));
    result("lseek SEEK_SET 5", (int)lseek(fd, 5, SEEK_SET));
    char buf[32] = {0};
    result("read 4", (int)read(fd, buf, 4));
    printf("  got [%s]\n", buf);
    result("lseek SEEK_CUR -2", (int)lseek(fd, -2, SEEK_CUR));
    result("write XY", (int)write(fd, "XY", 2));
    result("lseek SEEK_END -3", (int)lseek(fd, -3, SEEK_END));
    memset(buf, 0, sizeof buf);
    result("read 10 at end", (int)read(fd, buf, 10));
    printf("  got [%s]\n", buf);
    result("read at EOF", (int)read(fd, buf, 10));
    result("lseek before start", (int)lseek(fd, -100, SEEK_SET));
    result("pwrite 123 at 10", (int)pwrite(fd, "123", 3, 10));
    memset(buf, 0, sizeof buf);
    result("pread 6 at 8", (int)pread(fd, buf, 6, 8));
    printf("  got [%s]\n", buf);
    result("offset unchanged by pread/pwrite", (int)lseek(fd, 0, SEEK_CUR));
    result("lseek SEEK_END +4 (past end)", (int)lseek(fd, 4, SEEK_END));
    result("write after hole", (int)write(fd, "!", 1));
    struct stat st;
    result("fstat", fstat(fd, &st));
    printf("  fstat: %s size %lld\n", kind(st.st_mode), (long long)st.st_size);
    result("ftruncate 12", ftruncate(fd, 12));
    result("fstat", fstat(fd, &st));
    printf("  fstat: size %lld\n", (long long)st.st_size);
    result("ftruncate 16 (extend)", ftruncate(fd, 16));
    result("close", close(fd));
    result("close again", close(fd));
    result("read on a closed fd", (int)read(fd, buf, 1));
    show_file("data.bin");
    result("truncate data.bin 7", truncate(at("data.bin"), 7));
    show_file("data.bin");
}

static void streams(void) {
    FILE *f = fopen(at("notes.txt"), "w");
    fprintf(f, "line 1\nline %d\n", 2);
    printf("ftell after writing: %ld\n", ftell(f));
    fclose(f);
    f = fopen(at("notes.txt"), "a");
    fputs("appended\n", f);
    fclose(f);
    f = fopen(at("notes.txt"), "r+");
    fseek(f, 5, SEEK_SET);
    fputc('#', f);
    fseek(f, 0, SEEK_END);
    printf("size by fseek/ftell: %ld\n", ftell(f));
    rewind(f);
    char line[64];
    while (fgets(line, sizeof line, f) != NULL) printf("  fgets: %s", line);
    fclose(f);
    int fd = open(at("notes.txt"), O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    result("write with O_APPEND", (int)write(fd, "end\n", 4));
    close(fd);
    show_file("notes.txt");
}

static void directories(void) {
    result("mkdir dir", mkdir(at("dir"), 0755));
    result("mkdir dir again", mkdir(at("dir"), 0755));
    result("mkdir dir/sub", mkdir(at("dir/sub"), 0755));
    result("mkdir missing/sub", mkdir(at("missing/sub"), 0755));
    int fd = open(at("dir/sub/deep.txt"), O_CREAT | O_WRONLY, 0644);
    result("write dir/sub/deep.txt", (int)write(fd, "deep", 4));
    close(fd);
    result("open O_EXCL on existing", open(at("dir/sub/deep.txt"), O_CREAT | O_EXCL | O_WRONLY,
                                           0644));
    result("open missing", open(at("nothing.txt"), O_RDONLY));
    result("open dir/sub/deep.txt/x", open(at("dir/sub/deep.txt/x"), O_RDONLY));
    result("open a directory for writing", open(at("dir"), O_WRONLY));
    result("O_DIRECTORY on a file", open(at("notes.txt"), O_RDONLY | O_DIRECTORY));
    result("rmdir non-empty dir", rmdir(at("dir")));
    result("unlink a directory", unlink(at("dir/sub")));
    result("rmdir a file", rmdir(at("notes.txt")));
    show_stat("dir", 1);
    show_stat("dir/sub/deep.txt", 1);
    show_stat("nothing", 1);
    list("dir");
    list("dir/sub");
    list("nothing");
}

static void renames_and_links(void) {
    result("rename data.bin -> dir/moved.bin", rename(at("data.bin"), at("dir/moved.bin")));
    result("rename missing", rename(at("data.bin"), at("x")));
    FILE *f = fopen(at("victim.txt"), "w");
    fputs("to be replaced", f);
    fclose(f);
    result("rename notes.txt over victim.txt", rename(at("notes.txt"), at("victim.txt")));
    show_file("victim.txt");
    result("rename dir/sub -> subdir", rename(at("dir/sub"), at("subdir")));
    result("rename dir into itself", rename(at("dir"), at("dir/inside")));
    result("link victim.txt -> hard.txt", link(at("victim.txt"), at("hard.txt")));
    show_stat("hard.txt", 1);
    result("symlink -> victim.txt", symlink("victim.txt", at("soft")));
    result("symlink to a missing target", symlink("nowhere", at("dangling")));
    char target[64] = {0};
    result("readlink soft", (int)readlink(at("soft"), target, sizeof target - 1));
    printf("  target [%s]\n", target);
    result("readlink a regular file", (int)readlink(at("victim.txt"), target, sizeof target));
    show_stat("soft", 1);
    show_stat("soft", 0);
    show_stat("dangling", 0);
    show_stat("dangling", 1);
    show_file("soft");
    result("unlink dir/moved.bin", unlink(at("dir/moved.bin")));
    result("unlink it again", unlink(at("dir/moved.bin")));
    result("unlink dangling symlink", unlink(at("dangling")));
    result("rmdir subdir (not empty)", rmdir(at("subdir")));
    result("unlink subdir/deep.txt", unlink(at("subdir/deep.txt")));
    result("rmdir subdir", rmdir(at("subdir")));
    show_stat("victim.txt", 1);
}

static void times(void) {
    struct timespec set[2] = {{1000000000, 0}, {1234567890, 500}};
    result("utimensat victim.txt", utimensat(AT_FDCWD, at("victim.txt"), set, 0));
    struct stat st;
    stat(at("victim.txt"), &st);
    printf("  atime %lld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec,
           (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    int fd = open(at("hard.txt"), O_RDONLY);
    struct timespec only_mtime[2] = {{0, UTIME_OMIT}, {1500000000, 0}};
    result("futimens (mtime only)", futimens(fd, only_mtime));
    fstat(fd, &st);
    printf("  atime %lld mtime %lld\n", (long long)st.st_atim.tv_sec,
           (long long)st.st_mtim.tv_sec);
    close(fd);
    time_t now = time(NULL);
    fd = open(at("fresh.txt"), O_CREAT | O_WRONLY, 0644);
    write(fd, "fresh", 5);
    fstat(fd, &st);
    close(fd);
    printf("  new file's mtime is recent: %s\n",
           st.st_mtim.tv_sec >= now - 5 && st.st_mtim.tv_sec <= now + 5 ? "yes" : "no");
}

int main(int argc, char **argv) {
    snprintf(base, sizeof base, "%s", argc > 1 ? argv[1] : ".");
    descriptors();
    streams();
    directories();
    renames_and_links();
    times();
    list(".");
    return 0;
}
