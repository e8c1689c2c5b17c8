"""Properties of sandboxed path resolution over random paths in a tree full of symlinks:
whatever resolves, resolves to a place inside the sandbox; plain paths to existing
entries always resolve."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasmem.wasi.oserrors import WasiError
from wasmem.wasi.sandbox import resolve

NAMES = ["a", "b", "f", "up", "out", "abs", "loop", "back", "deep", "self", ".", ".."]


@pytest.fixture(scope="module")
def tree() -> Iterator[tuple[str, int]]:
    """``top/box`` (the sandbox, opened) with directories, a file and symlinks of every
    kind: inside, to the parent of the sandbox, absolute, looping, to itself."""
    with tempfile.TemporaryDirectory() as top:
        box = os.path.join(top, "box")
        os.makedirs(os.path.join(box, "a", "b"))
        os.makedirs(os.path.join(top, "outside"))
        open(os.path.join(box, "a", "f"), "w").close()
        open(os.path.join(top, "outside", "f"), "w").close()
        links = {"up": "..", "out": "../outside", "abs": os.path.join(top, "outside"),
                 "loop": "loop", "back": "a/../a/b", "deep": "b/../../a", "self": "."}
        for where in ("", "a", "a/b"):
            for name, target in links.items():
                os.symlink(target, os.path.join(box, where, name))
        fd = os.open(box, os.O_RDONLY | os.O_DIRECTORY)
        try:
            yield os.path.realpath(box), fd
        finally:
            os.close(fd)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(NAMES), min_size=1, max_size=6),
       follow=st.booleans(), trailing=st.booleans())
def test_whatever_resolves_is_inside(tree: tuple[str, int], parts: list[str], follow: bool,
                                     trailing: bool) -> None:
    root, fd = tree
    path = "/".join(parts) + ("/" if trailing else "")
    try:
        resolved = resolve(fd, path.encode(), follow=follow)
    except (WasiError, OSError):
        return
    with resolved:
        directory = os.path.realpath(os.readlink(f"/proc/self/fd/{resolved.dir_fd}"))
        assert directory == root or directory.startswith(root + os.sep), path
        assert "/" not in resolved.name
        if follow or trailing:
            target = os.path.join(directory, resolved.name)
            if os.path.lexists(target) and resolved.name not in (".", ".."):
                assert not os.path.islink(target), path  # followed by the sandbox


@pytest.mark.parametrize("path", ["a", "a/b", "a/f", "a/b/", "./a/./b", "a/b/../f"])
def test_plain_paths_resolve(tree: tuple[str, int], path: str) -> None:
    root, fd = tree
    with resolve(fd, path.encode(), follow=True) as resolved:
        directory = os.path.realpath(os.readlink(f"/proc/self/fd/{resolved.dir_fd}"))
        assert os.path.realpath(os.path.join(directory, resolved.name)) \
            == os.path.realpath(os.path.join(root, path))
