"""Escapes a guest may try, each of which must fail: ``..``, absolute paths, symlinks (out
of the sandbox, chained, looping, swapped in during resolution), hard links and renames to
outside, and rights it does not hold."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from _guest import Guest

from wasmem.wasi import WasiConfig
from wasmem.wasi.abi import (
    DIRECTORY_RIGHTS,
    LOOKUP_SYMLINK_FOLLOW,
    Errno,
    FileType,
    OFlags,
    Rights,
)
from wasmem.wasi.sandbox import MAX_SYMLINKS

SECRET = b"outside the sandbox"


@pytest.fixture()
def world(tmp_path: Path) -> Path:
    """``root/`` (preopened as ``/``) beside ``outside/secret``."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret").write_bytes(SECRET)
    root = tmp_path / "root"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "inside.txt").write_bytes(b"inside")
    (root / "sub" / "note").write_bytes(b"note")
    return tmp_path


@pytest.fixture()
def guest(world: Path) -> Iterator[Guest]:
    g = Guest(WasiConfig(preopens={"/": str(world / "root")}, stdin=None,
                         stdout="capture", stderr="capture"))
    yield g
    g.close()


def test_inside_paths_work(guest: Guest) -> None:
    errno, fd = guest.open("sub/../inside.txt")
    assert errno == 0 and fd is not None
    assert guest.read(fd) == (0, b"inside")
    assert guest.open("./sub/./note")[0] == 0
    assert guest.open("sub/deeper/../../sub/note")[0] == 0


@pytest.mark.parametrize("path", ["..", "../outside/secret", "sub/../../outside/secret",
                                  "sub/deeper/../../../outside/secret", "sub/../..",
                                  "./../root/inside.txt"])
def test_dotdot_above_the_preopen_is_refused(guest: Guest, path: str) -> None:
    assert guest.open(path)[0] == Errno.PERM


def test_dotdot_above_an_opened_subdirectory_is_refused(guest: Guest) -> None:
    errno, sub = guest.open("sub", oflags=OFlags.DIRECTORY, rights=DIRECTORY_RIGHTS)
    assert errno == 0 and sub is not None
    assert guest.open("note", dirfd=sub)[0] == 0
    assert guest.open("../inside.txt", dirfd=sub)[0] == Errno.PERM


@pytest.mark.parametrize("path", ["/", "/etc/passwd", "//inside.txt"])
def test_absolute_paths_are_refused(guest: Guest, path: str) -> None:
    assert guest.open(path)[0] == Errno.PERM


def test_nul_in_a_path_is_invalid(guest: Guest) -> None:
    assert guest.open("inside.txt\0.jpg")[0] == Errno.INVAL


@pytest.mark.parametrize("target", ["{outside}/secret", "../outside/secret",
                                    "sub/../../outside/secret", "/etc/passwd"])
def test_symlinks_out_of_the_sandbox_are_not_followed(guest: Guest, world: Path,
                                                      target: str) -> None:
    os.symlink(target.format(outside=world / "outside"), world / "root" / "link")
    os.symlink(target.format(outside=world / "outside").rsplit("/", 1)[0] or "/",
               world / "root" / "dirlink")
    assert guest.open("link")[0] == Errno.PERM
    assert guest.open("dirlink/secret")[0] == Errno.PERM
    assert guest.stat("link")[0] == Errno.PERM
    # not following: the link itself, never what it points at
    assert guest.open("link", follow=False)[0] == Errno.LOOP
    errno, st = guest.stat("link", follow=False)
    assert errno == 0 and st[2] == FileType.SYMBOLIC_LINK


def test_symlink_chains_are_checked_at_every_step(guest: Guest, world: Path) -> None:
    root = world / "root"
    os.symlink("b", root / "a")
    os.symlink("sub/c", root / "b")
    os.symlink("../d", root / "sub" / "c")
    os.symlink("sub/../../outside/secret", root / "d")
    assert guest.open("a")[0] == Errno.PERM
    os.symlink("inside.txt", root / "e")
    os.symlink("../e", root / "sub" / "f")
    errno, fd = guest.open("sub/f")
    assert errno == 0 and fd is not None and guest.read(fd) == (0, b"inside")


def test_symlink_loops_end_in_eloop(guest: Guest, world: Path) -> None:
    root = world / "root"
    os.symlink("loop2", root / "loop1")
    os.symlink("loop1", root / "loop2")
    assert guest.open("loop1")[0] == Errno.LOOP
    assert guest.open("loop1/x")[0] == Errno.LOOP
    previous = "inside.txt"
    for n in range(MAX_SYMLINKS + 1):
        os.symlink(previous, root / f"chain{n}")
        previous = f"chain{n}"
    assert guest.open(f"chain{MAX_SYMLINKS - 1}")[0] == 0
    assert guest.open(f"chain{MAX_SYMLINKS}")[0] == Errno.LOOP


def test_creating_through_a_dangling_symlink_stays_inside(guest: Guest,
                                                          world: Path) -> None:
    root = world / "root"
    os.symlink("../outside/new", root / "dangling")
    assert guest.create("dangling")[0] == Errno.PERM
    assert not (world / "outside" / "new").exists()
    os.symlink("sub/created", root / "dangling_inside")
    assert guest.create("dangling_inside")[0] == 0
    assert (root / "sub" / "created").exists()


def test_absolute_symlink_targets_cannot_be_created(guest: Guest, world: Path) -> None:
    assert guest.symlink(str(world / "outside" / "secret"), "abs") == Errno.PERM
    assert not os.path.lexists(world / "root" / "abs")
    # a relative link out can be made, but never followed
    assert guest.symlink("../outside/secret", "rel") == 0
    assert guest.open("rel")[0] == Errno.PERM


def test_hard_links_cannot_reach_outside(guest: Guest, world: Path) -> None:
    root = world / "root"
    link = "path_link"
    assert guest.two_paths(link, "../outside/secret", "stolen", flags=0) == Errno.PERM
    os.symlink(str(world / "outside" / "secret"), root / "out")
    assert guest.two_paths(link, "out", "stolen", flags=LOOKUP_SYMLINK_FOLLOW) \
        == Errno.PERM
    assert not os.path.lexists(root / "stolen")
    # without following, the new name is one more link to the symlink itself
    assert guest.two_paths(link, "out", "stolen", flags=0) == 0
    assert os.path.islink(root / "stolen")
    assert guest.open("stolen")[0] == Errno.PERM
    assert guest.two_paths(link, "inside.txt", "../outside/hard", flags=0) \
        == Errno.PERM
    assert guest.two_paths(link, "inside.txt", "sub/hard", flags=0) == 0
    assert (root / "sub" / "hard").read_bytes() == b"inside"


def test_renames_cannot_move_files_in_or_out(guest: Guest, world: Path) -> None:
    rename = "path_rename"
    assert guest.two_paths(rename, "inside.txt", "../outside/moved") == Errno.PERM
    assert guest.two_paths(rename, "../outside/secret", "taken") == Errno.PERM
    assert guest.two_paths(rename, "inside.txt", "sub/moved") == 0
    assert (world / "root" / "sub" / "moved").exists()


def test_other_path_calls_refuse_escapes(guest: Guest, world: Path) -> None:
    for name in ("path_create_directory", "path_remove_directory", "path_unlink_file"):
        assert guest.path_call(name, "../outside/secret") == Errno.PERM
    assert guest.path_call("path_readlink", "../outside/x", after=(256, 64, 64)) \
        == Errno.PERM
    assert (world / "outside" / "secret").read_bytes() == SECRET


def test_swapping_a_directory_for_a_symlink_during_resolution(guest: Guest,
                                                              world: Path) -> None:
    """A component replaced by a symlink to outside between checks is never followed."""
    root = world / "root"
    (root / "flip").mkdir()
    (root / "flip" / "secret").write_bytes(b"harmless")
    stop = threading.Event()

    def flipper() -> None:
        while not stop.is_set():
            try:
                os.rename(root / "flip", root / "flip.dir")
                os.symlink(world / "outside", root / "flip")
                os.unlink(root / "flip")
                os.rename(root / "flip.dir", root / "flip")
            except OSError:
                pass

    thread = threading.Thread(target=flipper)
    thread.start()
    try:
        seen = set()
        for _ in range(300):
            errno, fd = guest.open("flip/secret")
            if errno == 0 and fd is not None:
                seen.add(guest.read(fd)[1])
                guest.call("fd_close", fd)
            else:
                seen.add(errno)
    finally:
        stop.set()
        thread.join()
    assert SECRET not in seen


def test_rights_can_only_be_dropped(guest: Guest) -> None:
    errno, fd = guest.open("inside.txt", rights=int(Rights.FD_READ | Rights.FD_SEEK),
                           inheriting=0)
    assert errno == 0 and fd is not None
    assert guest.fdstat(fd)[1][2] == Rights.FD_READ | Rights.FD_SEEK
    assert guest.call("fd_fdstat_set_rights", fd, int(Rights.FD_READ | Rights.FD_WRITE),
                      0) == Errno.NOTCAPABLE
    assert guest.call("fd_fdstat_set_rights", fd, int(Rights.FD_SEEK), 0) == 0
    assert guest.read(fd)[0] == Errno.BADF
    assert guest.call("fd_fdstat_set_rights", fd, int(Rights.FD_READ), 0) \
        == Errno.NOTCAPABLE
    assert guest.call("fd_tell", fd, 64) == Errno.NOTCAPABLE


def test_a_directory_without_path_rights_opens_nothing(guest: Guest) -> None:
    errno, sub = guest.open("sub", oflags=OFlags.DIRECTORY, rights=int(Rights.FD_READDIR),
                            inheriting=int(Rights.FD_READ))
    assert errno == 0 and sub is not None
    assert guest.open("note", dirfd=sub)[0] == Errno.NOTCAPABLE
    full = int(Rights.PATH_OPEN)
    assert guest.call("fd_fdstat_set_rights", 3, full | int(Rights.FD_READDIR),
                      int(Rights.FD_READ)) == 0
    # rights asked for beyond the directory's inheriting rights
    assert guest.open("inside.txt", rights=int(Rights.FD_WRITE), inheriting=0)[0] \
        == Errno.NOTCAPABLE
    assert guest.open("inside.txt", rights=int(Rights.FD_READ), inheriting=0)[0] == 0
    assert guest.path_call("path_create_directory", "new") == Errno.NOTCAPABLE


def test_read_only_files_are_not_written(guest: Guest, world: Path) -> None:
    errno, fd = guest.open("inside.txt", rights=int(Rights.FD_READ))
    assert errno == 0 and fd is not None
    assert guest.write(fd, b"overwrite")[0] == Errno.BADF
    assert (world / "root" / "inside.txt").read_bytes() == b"inside"


def test_fds_that_are_not_preopens_give_no_prestat(guest: Guest) -> None:
    assert guest.call("fd_prestat_get", 3, 64) == 0
    for fd in (0, 1, 2, 4, 99):
        assert guest.call("fd_prestat_get", fd, 64) == Errno.BADF
