/* WASI benchmark: many small files. Creates COUNT files (default 1000) of 64 to 4159
 * bytes spread over 16 folders, reads each back, stats it, renames half of them, then
 * deletes everything; prints the counts and an FNV-1a checksum of the bytes read.
 * Runs in the current directory of the guest (the preopened "/").
 * Rebuilt by build.sh. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define FOLDERS 16

static void fail(const char *what, const char *path) {
    perror(path);
    fprintf(stderr, "smallfiles: %s failed\n", what);
    exit(1);
}

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 1000;
    static unsigned char data[4160];
    char path[64], renamed[64];
    uint32_t hash = 2166136261u;
    long long written = 0, read_back = 0, stat_bytes = 0;
    if (mkdir("work", 0755) != 0) fail("mkdir", "work");
    for (int d = 0; d < FOLDERS; d++) {
        snprintf(path, sizeof path, "work/d%02d", d);
        if (mkdir(path, 0755) != 0) fail("mkdir", path);
    }
    for (int i = 0; i < count; i++) {
        size_t size = 64 + (size_t)((uint32_t)i * 2654435761u % 4096);
        for (size_t k = 0; k < size; k++) data[k] = (unsigned char)(i + k * 7);
        snprintf(path, sizeof path, "work/d%02d/f%05d.dat", i % FOLDERS, i);
        int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
        if (fd < 0) fail("open for writing", path);
        if (write(fd, data, size) != (ssize_t)size) fail("write", path);
        close(fd);
        written += (long long)size;
    }
    for (int i = 0; i < count; i++) {
        snprintf(path, sizeof path, "work/d%02d/f%05d.dat", i % FOLDERS, i);
        int fd = open(path, O_RDONLY);
        if (fd < 0) fail("open for reading", path);
        ssize_t n = read(fd, data, sizeof data);
        if (n < 0) fail("read", path);
        close(fd);
        for (ssize_t k = 0; k < n; k++) hash = (hash ^ data[k]) * 16777619u;
        read_back += n;
        struct stat st;
        if (stat(path, &st) != 0) fail("stat", path);
        stat_bytes += st.st_size;
        if (i % 2 == 0) {
            snprintf(renamed, sizeof renamed, "work/d%02d/r%05d.dat", i % FOLDERS, i);
            if (rename(path, renamed) != 0) fail("rename", path);
        }
    }
    for (int i = 0; i < count; i++) {
        snprintf(path, sizeof path, "work/d%02d/%c%05d.dat", i % FOLDERS,
                 i % 2 == 0 ? 'r' : 'f', i);
        if (unlink(path) != 0) fail("unlink", path);
    }
    for (int d = 0; d < FOLDERS; d++) {
        snprintf(path, sizeof path, "work/d%02d", d);
        if (rmdir(path) != 0) fail("rmdir", path);
    }
    if (rmdir("work") != 0) fail("rmdir", "work");
    printf("files %d written %lld read %lld stat %lld fnv1a %08x\n", count, written,
           read_back, stat_bytes, hash);
    return 0;
}
