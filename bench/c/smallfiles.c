/* WASI benchmark: many small files. Creates COUNT files (default 1000) of 64 to 4159
 * bytes spread over 16 folders, reads each back, stats it, renames half of them, then
 * deletes everything; prints the counts and a checksum of the bytes read. The guest's
 * own work per byte is kept small (memset, 8-byte words), so the time goes to the files.
 * Runs in the current directory of the guest (the preopened "/").
 * Rebuilt by build.sh. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    uint32_t hash = 0;
    long long written = 0, read_back = 0, stat_bytes = 0;
    if (mkdir("work", 0755) != 0) fail("mkdir", "work");
    for (int d = 0; d < FOLDERS; d++) {
        snprintf(path, sizeof path, "work/d%02d", d);
        if (mkdir(path, 0755) != 0) fail("mkdir", path);
    }
    for (int i = 0; i < count; i++) {
        size_t size = 64 + (size_t)((uint32_t)i * 2654435761u % 4096);
        memset(data, i & 0xff, size);
        snprintf((char *)data, 8, "%06d", i);
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
        uint64_t sum = 0;
        for (ssize_t k = 0; k + 8 <= n; k += 8) {
            uint64_t word;
            memcpy(&word, data + k, 8);
            sum += word;
        }
        for (ssize_t k = n & ~7; k < n; k++) sum += data[k];
        hash = hash * 31u + (uint32_t)(sum ^ (sum >> 32));
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
    printf("files %d written %lld read %lld stat %lld checksum %08x\n", count, written,
           read_back, stat_bytes, hash);
    return 0;
}
