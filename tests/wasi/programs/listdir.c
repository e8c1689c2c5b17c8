/* readdir over a large directory: creates COUNT files (default 300, enough for several
 * fd_readdir calls with cookies), then lists the directory in the order the engine gives
 * it. The test compares the listing as a set; the program itself checks for duplicates,
 * rewinddir and seekdir/telldir.
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int count_entries(DIR *dir) {
    int n = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) n++;
    return n;
}

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 300;
    if (mkdir("many", 0755) != 0) {
        perror("mkdir many");
        return 1;
    }
    for (int i = 0; i < count; i++) {
        char name[64];
        snprintf(name, sizeof name, "many/file-with-a-long-name-%04d.txt", i);
        int fd = open(name, O_CREAT | O_WRONLY | O_EXCL, 0644);
        if (fd < 0) {
            perror(name);
            return 1;
        }
        dprintf(fd, "%d\n", i);
        close(fd);
    }
    mkdir("many/subdir", 0755);
    DIR *dir = opendir("many");
    if (dir == NULL) {
        perror("opendir");
        return 1;
    }
    char *seen = calloc((size_t)count, 1);
    int files = 0, duplicates = 0, dots = 0, dirs = 0;
    struct dirent *entry;
    long middle = -1;
    char middle_name[256] = "";
    while ((entry = readdir(dir)) != NULL) {
        printf("entry %s type %s\n", entry->d_name,
               entry->d_type == DT_DIR ? "dir" : entry->d_type == DT_REG ? "file" : "other");
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) {
            dots++;
            continue;
        }
        if (entry->d_type == DT_DIR) dirs++;
        int index;
        if (sscanf(entry->d_name, "file-with-a-long-name-%d.txt", &index) == 1 &&
            index >= 0 && index < count) {
            if (seen[index]) duplicates++;
            seen[index] = 1;
            files++;
            if (files == count / 2) {
                middle = telldir(dir);
                snprintf(middle_name, sizeof middle_name, "%s", entry->d_name);
            }
        }
    }
    printf("files %d of %d, duplicates %d, dot entries %d, directories %d\n", files, count,
           duplicates, dots, dirs);
    rewinddir(dir);
    printf("after rewinddir: %d entries\n", count_entries(dir));
    if (middle >= 0) {
        seekdir(dir, middle);
        int rest = count_entries(dir);
        printf("seekdir to a saved position: %s\n",
               rest > 0 && rest < count + dots + dirs ? "resumes inside" : "wrong");
    }
    closedir(dir);
    free(seen);
    return 0;
}
