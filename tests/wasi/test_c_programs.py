"""C programs compiled by clang for wasm32-wasi (``tests/wasi/programs/``) run in wasmem
as in wasmtime: same exit code, same stdout and stderr, same files left behind.

Each case runs through wasmem's Python API and through ``wasmem run`` (the CLI); a few
also through the interpreter tier. Values that change from run to run (clock readings,
random bytes) and the order of a directory listing are checked for their properties and
then left out of the comparison (``stdout_filter``). The sandbox-escape program is also
checked on its own: nothing outside the preopened directory may be read, created,
changed or listed, whatever wasmtime does.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from cprograms import PROGRAMS, ROOT, Case, run, same_as_wasmtime, snapshot

# --- stdout filters: check what varies, keep what must be equal ----------------------


def sorted_lines(stdout: bytes) -> bytes:
    """A directory listing in the engine's order, compared as a sorted list."""
    return b"\n".join(sorted(stdout.splitlines()))


def clock_values(stdout: bytes) -> bytes:
    """Check the clock program's readings; replace them by their names."""
    text = stdout.decode()
    values = {name: int(value) for name, value in re.findall(r"^(\w+)=(-?\d+)$", text, re.M)}
    assert set(values) == {"res_realtime", "res_monotonic", "realtime", "nanosleep_elapsed"}
    assert 0 < values["res_realtime"] <= 1_000_000_000
    assert 0 < values["res_monotonic"] <= 1_000_000_000
    assert abs(values["realtime"] - time.time_ns()) < 120 * 10**9, "realtime is not now"
    assert 30_000_000 <= values["nanosleep_elapsed"] < 10 * 10**9, "nanosleep(30 ms)"
    return re.sub(r"^(\w+)=-?\d+$", r"\1=<value>", text, flags=re.M).encode()


def random_values(stdout: bytes) -> bytes:
    """Check the random program's bytes (right lengths, not constant, draws differ);
    replace them by their lengths."""
    text = stdout.decode()
    draws = dict(re.findall(r"^(getentropy\d|arc4random_buf) ([0-9a-f]+)$", text, re.M))
    assert {len(v) for k, v in draws.items() if k != "arc4random_buf"} == {64}
    assert len(draws["arc4random_buf"]) == 128
    assert draws["getentropy1"] != draws["getentropy2"]
    for value in draws.values():
        assert len(set(bytes.fromhex(value))) > 4, f"not random: {value}"
    pair = re.search(r"^arc4random ([0-9a-f]{8}) ([0-9a-f]{8})$", text, re.M)
    assert pair and pair.group(1) != pair.group(2)
    text = re.sub(r"^(getentropy\d|arc4random_buf|arc4random) [0-9a-f ]+$",
                  lambda m: f"{m.group(1)} <{len(m.group(0)) - len(m.group(1)) - 1}>", text,
                  flags=re.M)
    return text.encode()


def any_error(stdout: bytes) -> bytes:
    """An `error: ...` line that names some error, whichever."""
    assert re.search(rb"^error: (?!none$).+$", stdout, re.M), stdout
    return re.sub(rb"^error: .*$", b"error: <some errno>", stdout, flags=re.M)


# --- sandboxes -------------------------------------------------------------------------

SECRET = "TOP SECRET: outside the sandbox\n"


def escape_setup(folder: Path) -> None:
    """A secret next to the sandbox; a file and a folder inside it."""
    (folder / "secret.txt").write_text(SECRET)
    (folder / "sandbox" / "inside.txt").write_text("inside the sandbox\n")
    (folder / "sandbox" / "sub").mkdir()


def link_setup(folder: Path) -> None:
    """A file and a symlink to it."""
    (folder / "sandbox" / "a.txt").write_bytes(b"contents of a\n")
    (folder / "sandbox" / "link").symlink_to("a.txt")


def data_setup(folder: Path) -> None:
    """A sandbox that starts with files (read by the hello and files programs)."""
    (folder / "sandbox" / "existing.txt").write_bytes(b"was here before\n")


BINARY_STDIN = bytes((i * 7919 + (i >> 8)) & 0xFF for i in range(300_000))

CASES = {
    "stdio-lines": Case("stdio", ("lines",),
                        stdin=b"hello\nworld\n\n\ttabs and spaces  \nlast line without newline"),
    "stdio-sum": Case("stdio", ("sum",), stdin=BINARY_STDIN),
    "stdio-empty-stdin": Case("stdio", ("lines",)),
    "stdio-no-mode": Case("stdio"),
    "args": Case("args", ("one", "two words", "", "ünïcödé", "--flag=1", "-x")),
    "args-none": Case("args"),
    "env": Case("env", env=(("HOME", "/home/guest"), ("GREETING", "hello"), ("EMPTY", ""),
                            ("EQUALS", "a=b=c"), ("UNICODE", "ünï €"), ("Z_LAST", "z"))),
    "env-empty": Case("env"),
    "exit-3": Case("exit", ("exit", "3")),
    "exit-0": Case("exit", ("exit", "0")),
    "exit-125": Case("exit", ("exit", "125")),
    "return-7": Case("exit", ("return", "7")),
    "return-0": Case("exit", ("return", "0")),
    "_Exit-4": Case("exit", ("_Exit", "4")),
    "abort": Case("exit", ("abort",)),
    "files": Case("files", setup=data_setup),
    "descriptors": Case("descriptors"),
    "paths": Case("paths"),
    "rawcalls": Case("rawcalls", setup=link_setup),
    "files-in-/data": Case("files", ("/data",), setup=data_setup, guest_dir="/data"),
    "listdir": Case("listdir", ("300",), stdout_filter=sorted_lines),
    "clock": Case("clock", stdout_filter=clock_values),
    "random": Case("random", stdout_filter=random_values),
    "escape": Case("escape", setup=escape_setup),
}
INTERPRETED = ("stdio-lines", "files", "descriptors", "rawcalls", "abort", "escape", "exit-3")


@pytest.mark.parametrize("name", CASES)
def test_python_api_matches_wasmtime(name: str, tmp_path: Path) -> None:
    same_as_wasmtime(CASES[name], tmp_path, "wasmem")


@pytest.mark.parametrize("name", CASES)
def test_cli_matches_wasmtime(name: str, tmp_path: Path) -> None:
    ours, _ = same_as_wasmtime(CASES[name], tmp_path, "wasmem-cli")
    if ours.trapped:  # one line saying why, no Python traceback
        assert b"Traceback" not in ours.stderr
        assert ours.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("name", INTERPRETED)
def test_interpreter_tier_matches_wasmtime(name: str, tmp_path: Path) -> None:
    same_as_wasmtime(CASES[name], tmp_path, "wasmem-interpret")


@pytest.mark.parametrize("engine", ["wasmem", "wasmem-cli"])
def test_escape_attempts_all_fail(engine: str, tmp_path: Path) -> None:
    outcome = run(CASES["escape"], tmp_path, engine)
    text = outcome.stdout.decode()
    assert outcome.exit_code == 0, text
    assert "escaped: no" in text
    assert "SECRET" not in text and "root:" not in text
    outside = {name: entry for name, entry in outcome.files.items()
               if not name.startswith("sandbox")}
    assert outside == {"secret.txt": ("file", SECRET.encode())}
    # every attempt was denied, except the two opens that stay inside; creating a
    # symlink (whatever its target) may be allowed or not
    allowed = {"open inside.txt", "open sub/up/inside.txt"}
    for line in text.splitlines():
        attempt = line.rsplit(" ok", 1)[0].rsplit(" denied:", 1)[0].strip()
        if line.startswith(("  ", "escaped", "symlink")) or attempt in allowed:
            continue
        assert " denied: " in line, line
    assert outcome.files["sandbox/inside.txt"] == ("file", b"inside the sandbox\n")


@pytest.mark.parametrize("engine", ["wasmem", "wasmem-interpret"])
def test_running_out_of_host_descriptors_is_an_errno(engine: str, tmp_path: Path) -> None:
    """With the host's limit of open files lowered to 200, the guest's opens fail with
    an errno (no engine crash), and work again once it closes them. The errno itself is
    compared separately: wasmem gives mfile (EMFILE), wasmtime 51 eio."""
    case = Case("manyfds", setup=link_setup, stdout_filter=any_error)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(200, hard), hard))
    try:
        ours, _ = same_as_wasmtime(case, tmp_path, engine)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert b"stopped before 1000 opens: yes" in ours.stdout
    assert b"error: No file descriptors available" in ours.stdout
    assert b"open after closing: ok, read 14" in ours.stdout


def test_listing_order_is_not_assumed(tmp_path: Path) -> None:
    """The listing holds every file once, whatever the order."""
    outcome = run(CASES["listdir"], tmp_path, "wasmem")
    entries = re.findall(r"^entry (\S+) type (\w+)$", outcome.stdout.decode(), re.M)
    names = sorted(name for name, _ in entries)
    assert names == sorted([".", "..", "subdir"]
                           + [f"file-with-a-long-name-{i:04d}.txt" for i in range(300)])
    assert b"files 300 of 300, duplicates 0" in outcome.stdout


def test_hello_example_matches_wasmtime(tmp_path: Path) -> None:
    case = Case("hello", ("memory",), folder=ROOT / "examples" / "wasi")
    ours, _ = same_as_wasmtime(case, tmp_path, "wasmem")
    assert ours.stdout.startswith(b"Hello, memory!\n")


def test_every_program_is_tested_and_built() -> None:
    sources = sorted(p.stem for p in PROGRAMS.glob("*.c"))
    assert sources == sorted({case.program for case in CASES.values()} | {"manyfds"})
    for name in sources:
        assert (PROGRAMS / f"{name}.wasm").exists(), name


@pytest.mark.skipif(shutil.which("clang-14") is None, reason="clang-14 is not installed")
def test_committed_binaries_are_what_the_build_script_makes() -> None:
    proc = subprocess.run(["sh", str(PROGRAMS / "build.sh"), "--check"], capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr


def test_snapshot_sees_files_folders_and_symlinks(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_bytes(b"x")
    (tmp_path / "link").symlink_to("d/f")
    assert snapshot(tmp_path) == {"d": ("dir", b""), "d/f": ("file", b"x"),
                                  "link": ("symlink", b"d/f")}
