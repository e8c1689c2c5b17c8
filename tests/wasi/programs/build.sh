#!/bin/sh
# Rebuild the WASI test programs (tests/wasi/programs/*.c) and examples/wasi/hello.c
# (copied to src/wasmem/examples/wasi/, package data for `wasmem tour c-program`)
# with Debian's clang, lld and wasi-libc
# (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32).
#
#   build.sh           rebuild every .wasm next to its .c
#   build.sh --check   rebuild into a temporary folder and fail if a committed .wasm
#                      differs from the rebuilt one (the build is reproducible: no debug
#                      information, no paths, no timestamps end up in the binary)
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
CC=${CC:-clang-14}
CFLAGS="--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra -Werror -Wl,--strip-debug"

check=
if [ "$1" = "--check" ]; then
    check=$(mktemp -d)
    trap 'rm -rf "$check"' EXIT
fi

status=0
for source in "$here"/*.c "$root/examples/wasi/hello.c"; do
    wasm="${source%.c}.wasm"
    if [ -n "$check" ]; then
        out="$check/$(basename "$wasm")"
    else
        out="$wasm"
    fi
    # hello exports the addresses of its two globals and the ends of its static data and
    # stack, for the docs to read them.
    extra=
    case "$source" in
        */hello.c) extra="-Wl,--export=greeting,--export=squares,--export=__data_end,--export=__heap_base" ;;
    esac
    # Compile from the source's folder with a relative name, so no absolute path of
    # this machine can reach the output.
    (cd "$(dirname "$source")" && $CC $CFLAGS $extra -o "$out" "$(basename "$source")")
    if [ -n "$check" ] && ! cmp -s "$out" "$wasm"; then
        echo "differs from the committed binary: ${wasm#"$root"/}" >&2
        status=1
    fi
done
# The tour runs hello.wasm from the package data: keep that copy (and its source) equal.
packaged="$root/src/wasmem/examples/wasi"
for file in hello.c hello.wasm; do
    if [ -n "$check" ]; then
        if ! cmp -s "$root/examples/wasi/$file" "$packaged/$file"; then
            echo "differs from examples/wasi/$file: src/wasmem/examples/wasi/$file" >&2
            status=1
        fi
    else
        cp "$root/examples/wasi/$file" "$packaged/$file"
    fi
done
exit $status
