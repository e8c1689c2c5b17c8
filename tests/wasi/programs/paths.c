/* Path edge cases inside the sandbox: trailing slashes, "." and "..", doubled slashes,
 * non-ASCII and long names, empty paths, chdir/getcwd (emulated by wasi-libc), readlink
 * into a short buffer, and opening the wrong kind of file.
 * Part of wasmem's WASI tests (tests/wasi/programs/build.sh). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void result(const char *what, long value) {
    if (value < 0)
        printf("%-40s -> -1 %s\n", what, strerror(errno));
    else
        printf("%-40s -> %ld\n", what, value);
}

static long touch(const char *path) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) return -1;
    long n = write(fd, path, strlen(path));
    close(fd);
    return n;
}

static long kind(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    return S_ISDIR(st.st_mode) ? 1 : S_ISREG(st.st_mode) ? 2 : 3;
}

int main(void) {
    result("mkdir d/", mkdir("d/", 0755));
    result("touch d/f", touch("d/f"));
    result("stat d/ (1 = dir)", kind("d/"));
    result("stat d/. ", kind("d/."));
    result("stat d/.. ", kind("d/.."));
    result("stat ./d//f (2 = file)", kind("./d//f"));
    result("stat d/./f", kind("d/./f"));
    result("stat d/f/ (a file with a slash)", kind("d/f/"));
    result("open d/f/ for reading", open("d/f/", O_RDONLY));
    result("touch d/f/x", touch("d/f/x"));
    result("stat empty path", kind(""));
    result("open empty path", open("", O_RDONLY));
    result("touch name with spaces", touch("d/a name with spaces"));
    result("touch non-ASCII name", touch("d/\xc3\xbc" "n" "\xc3\xaf" "c" "\xc3\xb6" "d" "\xc3\xa9 \xe2\x82\xac.txt"));
    char longname[300];
    memset(longname, 'n', sizeof longname);
    memcpy(longname, "d/", 2);
    longname[2 + 255] = '\0';
    result("touch a 255-byte name", touch(longname));
    longname[2 + 255] = 'n';
    longname[2 + 256] = '\0';
    result("touch a 256-byte name", touch(longname));
    result("opendir a file", opendir("d/f") == NULL ? -1 : 0);
    result("fopen w on a directory", fopen("d", "w") == NULL ? -1 : 0);
    result("mkdir in a missing folder", mkdir("missing/x", 0755));
    result("rename d/f -> d/g/ (slash, not a dir)", rename("d/f", "d/g/"));
    result("mkdir e", mkdir("e", 0755));
    result("rename e/ -> e2/", rename("e/", "e2/"));
    result("rename e2 -> d (non-empty dir)", rename("e2", "d"));
    result("rename d/f -> e2 (file over dir)", rename("d/f", "e2"));
    result("rename e2 -> d/f (dir over file)", rename("e2", "d/f"));
    result("symlink d/l -> f", symlink("f", "d/l"));
    result("stat d/l/ (link to a file, slash)", kind("d/l/"));
    char small[3] = {0};
    result("readlink d/l into 2 bytes", readlink("d/l", small, 2));
    result("symlink d/ld -> .", symlink(".", "d/ld"));
    result("stat d/ld/ld/ld/f", kind("d/ld/ld/ld/f"));
    result("unlink d/ld/", unlink("d/ld/"));
    result("unlink d/ld", unlink("d/ld"));

    char cwd[256];
    printf("getcwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : strerror(errno));
    result("chdir d", chdir("d"));
    printf("getcwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : strerror(errno));
    result("stat f (relative to the new cwd)", kind("f"));
    result("stat ../e2", kind("../e2"));
    result("chdir ..", chdir(".."));
    printf("getcwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : strerror(errno));
    result("chdir d/f (a file)", chdir("d/f"));
    result("rmdir e2/", rmdir("e2/"));
    result("rmdir .", rmdir("."));
    result("rmdir d/..", rmdir("d/.."));
    return 0;
}
