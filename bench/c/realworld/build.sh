#!/bin/sh
# Rebuild the real-world programs (bench/c/realworld): five C libraries written by others
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
if [ $# -gt 0 ]; then set -- "$@"; else set -- lz4 brotli cmark yaml quickjs; fi
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
    *) echo "unknown program $program" >&2; exit 1 ;;
  esac
done
