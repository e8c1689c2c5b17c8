#!/bin/sh
# Rebuild the real-world programs (bench/c/realworld): nine C libraries written by others
# (sources as shipped in PyPI sdists, see SOURCES.md), each with a small driver of ours
# (NAME_run.c) exporting run(n); Debian clang 14, lld, wasi-libc; no imports.
# noio.h turns the libraries' diagnostics-only stdio into no-ops (see its comment);
# -lc-printscan-long-double links the printf family without wasi-libc's stdio streams.
set -e
cd "$(dirname "$0")"
CC="${CC:-clang}"
build() {  # name level [flags and sources]
  name=$1; level=$2; shift 2
  # shellcheck disable=SC2086
  "$CC" --target=wasm32-wasi --sysroot=/usr "$level" -DNDEBUG -w -nostartfiles \
    -Wl,--no-entry -Wl,--export=run -Wl,--strip-debug -o "$name.wasm" "${name}_run.c" "$@"
}
if [ $# -gt 0 ]; then set -- "$@"; else set -- lz4 brotli cmark yaml quickjs sqlite zstd crypto erfa; fi
for program in "$@"; do
  case $program in
    lz4) build lz4 -O3 -Ilz4 lz4/lz4.c lz4/lz4hc.c lz4/lz4frame.c lz4/xxhash.c ;;
    brotli)  # the encoder exit()s when malloc fails: a trap here (brotli_run.c)
      build brotli -O2 -Dexit=rw_exit -Ibrotli/include brotli/common/*.c brotli/dec/*.c \
        brotli/enc/*.c ;;
    cmark)
      build cmark -O2 -include noio.h -Icmark-gfm/src -Icmark-gfm/extensions \
        -Icmark-gfm/generated cmark-gfm/src/*.c cmark-gfm/extensions/*.c \
        -lc-printscan-long-double ;;
    yaml)
      build yaml -Os -include noio.h -DHAVE_CONFIG_H -DYAML_DECLARE_STATIC -Ilibyaml \
        libyaml/api.c libyaml/reader.c libyaml/scanner.c libyaml/parser.c libyaml/loader.c \
        libyaml/emitter.c libyaml/writer.c libyaml/dumper.c -lc-printscan-long-double ;;
    quickjs)
      build quickjs -Os -include noio.h -include fixed_clock.h -Iquickjs \
        quickjs/quickjs-amalgam.c -lc-printscan-long-double -lm ;;
    sqlite)  # no OS layer: sqlite_run.c registers an in-memory VFS (SQLITE_OS_OTHER)
      build sqlite -Os -include noio.h -Isqlite -DSQLITE_OS_OTHER=1 -DSQLITE_THREADSAFE=0 \
        -DSQLITE_TEMP_STORE=3 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL \
        -DSQLITE_OMIT_SHARED_CACHE -DSQLITE_OMIT_DEPRECATED -DSQLITE_DEFAULT_MEMSTATUS=0 \
        -DSQLITE_DQS=0 -DSQLITE_OMIT_UTF16 sqlite/sqlite3.c -lc-printscan-long-double -lm ;;
    zstd)  # __EMSCRIPTEN__ only keeps zstd.c from defining ZSTD_MULTITHREAD (no pthreads)
      build zstd -O3 -D__EMSCRIPTEN__ -include noio.h -Izstd zstd/zstd.c ;;
    crypto)  # the feature macros the sdist's setup finds on a 64-bit Unix compiler
      build crypto -O2 -include noio.h -DHAVE_STDINT_H -DHAVE_POSIX_MEMALIGN -DHAVE_UINT128 \
        -Ipycryptodome pycryptodome/AES.c pycryptodome/raw_cbc.c pycryptodome/raw_ctr.c \
        pycryptodome/SHA256.c pycryptodome/SHA512.c pycryptodome/keccak.c \
        pycryptodome/chacha20.c pycryptodome/poly1305.c pycryptodome/ed25519.c ;;
    erfa)  # erfa/ holds only the 78 of ERFA's files that the driver's calls reach
      build erfa -O2 -include noio.h -Ierfa erfa/*.c -lm ;;
    *) echo "unknown program $program" >&2; exit 1 ;;
  esac
done
