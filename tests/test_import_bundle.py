"""wasmem's modules imported from one file of compiled code (``wasmem.import_bundle``).

Each check runs fresh processes that write bytecode (under a private
``PYTHONPYCACHEPREFIX``) over a copy of the package, so that sources can be changed: the
first process records the modules it imports, the next ones import them from the file,
and a changed source is imported from the source again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import wasmem
from wasmem import import_bundle

PACKAGE = Path(wasmem.__file__).resolve().parent

_PROBE = r"""
import sys, json, importlib.util
import wasmem
from wasmem.valid import ops
from wasmem.load import binary
module = wasmem.Module(bytes.fromhex(
    "0061736d0100000001060160017f017f030201000707010369"
    "6e6300000a09010700200041016a0b"))
value = wasmem.Instance(module).exports.inc(41)
spec = ops.__spec__
print(json.dumps({
    "value": value,
    "loader": type(spec.loader).__name__,
    "from_bundle": getattr(spec.loader, "code", None) is not None,
    "recorded": getattr(spec.loader, "recording", False),
    "file": ops.__file__,
    "code_file": ops.enter_block.__code__.co_filename,
    "package_path": list(sys.modules["wasmem.valid"].__path__),
    "marker": getattr(ops, "MARKER", None),
    "cached_as_python_names_it": all(
        module.__cached__ == importlib.util.cache_from_source(module.__file__)
        for name, module in list(sys.modules.items())
        if name.startswith("wasmem.") and getattr(module, "__file__", None)),
}))
"""


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    """A copy of the package (its sources only) in its own folder."""
    root = tmp_path / "src"
    shutil.copytree(PACKAGE, root / "wasmem", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _run(root: Path, prefix: Path, code: str = _PROBE, **environment: str) -> Any:
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONPYCACHEPREFIX": str(prefix),
           "WASMEM_CACHE_DIR": "", **environment}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if environment.get("PYTHONDONTWRITEBYTECODE"):
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=300, check=False, cwd=root.parent)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _bundle(root: Path, prefix: Path) -> Path:
    found = list(prefix.rglob("wasmem-bundle.*.bin"))
    assert len(found) == 1, found
    return found[0]


def test_recorded_then_imported_from_the_bundle(copy: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "pyc"
    first = _run(copy, prefix)
    assert first["value"] == 42 and not first["from_bundle"]
    bundle = _bundle(copy, prefix)
    second = _run(copy, prefix)
    assert second["value"] == 42 and second["from_bundle"]
    assert second["cached_as_python_names_it"]
    ops_file = str(copy / "wasmem" / "valid" / "ops.py")
    assert second["file"] == ops_file and second["code_file"] == ops_file
    assert second["package_path"] == [str(copy / "wasmem" / "valid")]
    # nothing new to record: the file is not rewritten
    written = bundle.stat().st_mtime_ns
    _run(copy, prefix)
    assert bundle.stat().st_mtime_ns == written


def test_beside_the_sources_without_a_prefix(copy: Path, tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE")}
    env.update(PYTHONPATH=str(copy), WASMEM_CACHE_DIR="")
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                              text=True, timeout=300, check=False, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["from_bundle"] and found["cached_as_python_names_it"]
    assert list((copy / "wasmem" / "__pycache__").glob("wasmem-bundle.*.bin"))


def test_a_changed_source_is_imported_from_the_source(copy: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "pyc"
    _run(copy, prefix)
    ops = copy / "wasmem" / "valid" / "ops.py"
    ops.write_text(ops.read_text() + "\nMARKER = 'changed'\n")
    changed = _run(copy, prefix)
    assert changed["marker"] == "changed" and not changed["from_bundle"]
    again = _run(copy, prefix)  # recorded again by the process before
    assert again["marker"] == "changed" and again["from_bundle"]


def test_tracebacks_name_the_source(copy: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "pyc"
    _run(copy, prefix)
    code = ("import json, traceback, wasmem\n"
            "try:\n    wasmem.Module(b'not wasm')\n"
            "except wasmem.WasmError as error:\n"
            "    frames = traceback.extract_tb(error.__traceback__)\n"
            "    print(json.dumps([[f.filename, f.line] for f in frames]))\n")
    frames = [frame for frame in _run(copy, prefix, code) if frame[0] != "<string>"]
    assert len(frames) >= 2
    assert all(name.startswith(str(copy)) and Path(name).exists() for name, _ in frames)
    assert all(line for _, line in frames)  # the source lines are found


def test_nothing_written_without_bytecode(copy: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "pyc"
    _run(copy, prefix, PYTHONDONTWRITEBYTECODE="1")
    assert not list(prefix.rglob("wasmem-bundle.*.bin"))


def test_turned_off(copy: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "pyc"
    _run(copy, prefix, WASMEM_IMPORT_BUNDLE="0")
    assert not list(prefix.rglob("wasmem-bundle.*.bin"))
    _run(copy, prefix)
    off = _run(copy, prefix, WASMEM_IMPORT_BUNDLE="0")
    assert off["value"] == 42 and not off["from_bundle"]


def test_a_damaged_bundle_is_ignored(copy: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "pyc"
    _run(copy, prefix)
    bundle = _bundle(copy, prefix)
    data = bundle.read_bytes()
    bundle.write_bytes(data[:len(data) // 2])  # entries past the end
    assert _run(copy, prefix)["value"] == 42
    bundle.write_bytes(b"\xff" * 64)  # no index at all (its length past the end)
    assert _run(copy, prefix)["value"] == 42
    _run(copy, prefix)  # (rewritten whole by the process before)
    assert _run(copy, prefix)["from_bundle"]


def test_bundle_path_is_beside_the_bytecode() -> None:
    path = import_bundle.bundle_path(wasmem.__file__)
    if sys.implementation.cache_tag is None:  # pragma: no cover
        assert path is None
        return
    assert path is not None and sys.implementation.cache_tag in os.path.basename(path)
    assert os.path.basename(path).startswith("wasmem-bundle.")


def test_written_at_once_without_writing_bytecode(copy: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "pyc"
    code = "from wasmem.bundle import main\nimport json\nprint(json.dumps(main()))\n"
    assert _run(copy, prefix, code, PYTHONDONTWRITEBYTECODE="1") == 0
    bundle = _bundle(copy, prefix)
    # read (never written) by a process that writes no bytecode
    found = _run(copy, prefix, PYTHONDONTWRITEBYTECODE="1")
    assert found["value"] == 42 and found["from_bundle"]
    assert bundle.stat().st_size > 0


def test_build_reports_an_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(blocker / "below"),
           "PYTHONPATH": str(PACKAGE.parent)}
    done = subprocess.run([sys.executable, "-m", "wasmem.bundle"], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1 and done.stderr.startswith("wasmem.bundle: ")
    assert len(done.stderr.strip().splitlines()) == 1


def _index(data: bytes) -> tuple[int, Any, dict[str, Any]]:
    """A bundle's header size, magic number and index (see ``import_bundle._read``)."""
    import marshal
    assert data[:4] == import_bundle._FORMAT
    size = int.from_bytes(data[4:8], "little")
    header = data[16:16 + size]
    assert import_bundle._digest(header) == data[8:16]
    magic, index = marshal.loads(header)
    return 16 + size, magic, index


def _pack(magic: Any, index: dict[str, Any], pieces: list[bytes]) -> bytes:
    """A bundle of ``index`` (with its digest) and the code ``pieces``."""
    import marshal
    header = marshal.dumps((magic, index))
    return (import_bundle._FORMAT + len(header).to_bytes(4, "little")
            + import_bundle._digest(header) + header + b"".join(pieces))


def test_entries_that_are_not_code_are_ignored(copy: Path, tmp_path: Path) -> None:
    """A damaged entry may still unmarshal, to something other than code: its module is
    imported from its source (it was a raw TypeError out of ``import wasmem``)."""
    import marshal
    prefix = tmp_path / "pyc"
    _run(copy, prefix)
    bundle = _bundle(copy, prefix)
    _base, magic, index = _index(bundle.read_bytes())
    pieces, offset, damaged = [], 0, {}
    for k, (name, entry) in enumerate(index.items()):
        code = marshal.dumps((True, ..., b"x")[k % 3])
        damaged[name] = (*entry[:4], offset, len(code), import_bundle._digest(code))
        pieces.append(code)
        offset += len(code)
    bundle.write_bytes(_pack(magic, damaged, pieces))
    assert _run(copy, prefix)["value"] == 42
    data = bundle.read_bytes()  # the modules imported were recorded again at its exit
    base, _magic, index = _index(data)
    assert len(index["wasmem.valid.ops"]) == 7  # (recorded alone)
    offset, count = index["wasmem.valid.ops"][4:6]
    code = marshal.loads(data[base + offset:base + offset + count])
    assert isinstance(code, type(test_entries_that_are_not_code_are_ignored.__code__))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_in_place_of_the_bundle_does_not_block(copy: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "pyc"
    _run(copy, prefix)
    bundle = _bundle(copy, prefix)
    bundle.unlink()
    os.mkfifo(bundle)
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONPYCACHEPREFIX": str(prefix),
           "WASMEM_CACHE_DIR": ""}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run([sys.executable, "-c", "import wasmem; print(1)"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "1", done.stderr


_COLLECTOR_PROBE = r"""
import gc, json, sys
if "off" in sys.argv:
    gc.disable()
import wasmem
from wasmem import gc_probe
try:
    from wasmem import gc_failing
except ZeroDivisionError:
    pass
print(json.dumps({"inside": gc_probe.ENABLED, "after": gc.isenabled(),
                  "young": gc.get_count()[0], "threshold": gc.get_threshold()[0],
                  "from_bundle": getattr(gc_probe.__spec__.loader, "code", None) is not None}))
"""


def test_the_collector_is_paused_over_an_import_and_settled_after(copy: Path,
                                                                  tmp_path: Path) -> None:
    (copy / "wasmem" / "gc_probe.py").write_text(
        "import gc\nENABLED = gc.isenabled()\nTABLE = [[k] for k in range(20_000)]\n")
    (copy / "wasmem" / "gc_failing.py").write_text("TABLE = [[k] for k in range(5)]\n1 / 0\n")
    prefix = tmp_path / "pyc"
    _run(copy, prefix, _COLLECTOR_PROBE)  # records the probe in the bundle
    found = _run(copy, prefix, _COLLECTOR_PROBE)
    assert found["from_bundle"]
    assert found["inside"] is False and found["after"] is True  # (and after a failing body)
    assert found["young"] <= found["threshold"]  # the 20,000 lists went to an older one
    off = _run(copy, prefix, _COLLECTOR_PROBE.replace('"off" in sys.argv', "True"))
    assert off["inside"] is False and off["after"] is False  # a program's choice is kept


def test_settle_collector_turns_collection_on() -> None:
    import gc
    enabled = gc.isenabled()
    gc.disable()
    try:
        keep = [[k] for k in range(2 * gc.get_threshold()[0])]
        import_bundle.settle_collector()
        assert gc.isenabled() and gc.get_count()[0] <= gc.get_threshold()[0] and keep
    finally:
        if not enabled:
            gc.disable()


def test_settle_collector_moves_young_objects_to_the_oldest_generation() -> None:
    import gc
    if gc.get_freeze_count():  # (CPython 3.12 starts with objects of its own frozen)
        pytest.skip("objects are frozen already: settle_collector collects instead")
    enabled = gc.isenabled()
    gc.disable()
    try:
        keep = [[k] for k in range(2 * gc.get_threshold()[0])]
        collections = [stats["collections"] for stats in gc.get_stats()]
        import_bundle.settle_collector()
        assert [stats["collections"] for stats in gc.get_stats()] == collections  # no walk
        assert gc.get_count()[0] <= gc.get_threshold()[0]
        oldest = {id(item) for item in gc.get_objects(generation=2)}
        assert all(id(item) in oldest for item in keep[::97])
    finally:
        if not enabled:
            gc.disable()


_FROZEN_PROBE = r"""
import gc, json
from wasmem import import_bundle
gc.freeze()  # (a program that froze its objects, e.g. before forking)
frozen = gc.get_freeze_count()
gc.disable()
keep = [[k] for k in range(2 * gc.get_threshold()[0])]
before = gc.get_stats()[1]["collections"]
import_bundle.settle_collector()
print(json.dumps({"kept_frozen": gc.get_freeze_count() == frozen, "enabled": gc.isenabled(),
                  "collected": gc.get_stats()[1]["collections"] - before}))
"""


def test_settle_collector_keeps_a_programs_frozen_objects_frozen(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parent), "WASMEM_IMPORT_BUNDLE": "0"}
    done = subprocess.run([sys.executable, "-c", _FROZEN_PROBE], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found == {"kept_frozen": True, "enabled": True, "collected": 1}


def test_moves_are_bounded_by_full_collections() -> None:
    import gc
    if gc.get_freeze_count():  # (CPython 3.12 starts with objects of its own frozen)
        pytest.skip("objects are frozen already: settle_collector collects instead")
    enabled = gc.isenabled()
    saved = list(import_bundle._moved), list(import_bundle._full_collections)
    try:
        full = gc.get_stats()[2]["collections"]
        import_bundle._moved[:] = [0, import_bundle._MOVED_FLOOR]
        import_bundle._full_collections[0] = full  # (the count began after the last one)
        for _ in range(3):
            gc.disable()
            garbage = [[k] for k in range(3 * gc.get_threshold()[0])]
            for item in garbage:
                item.append(item)  # (cycles: only a collection frees them)
            del garbage, item
            import_bundle.settle_collector()
        assert gc.get_stats()[2]["collections"] == full  # moved, within the bound
        import_bundle._moved[1] = import_bundle._moved[0]  # (the bound reached)
        gc.disable()
        garbage = [[k] for k in range(3 * gc.get_threshold()[0])]
        import_bundle.settle_collector()
        assert gc.get_stats()[2]["collections"] == full + 1 and garbage
        assert import_bundle._moved[0] == 0
        assert import_bundle._moved[1] >= import_bundle._MOVED_FLOOR
        # a full collection of the program's own restarts the count: no collection
        import_bundle._moved[0] = import_bundle._moved[1]
        del garbage
        gc.collect()
        gc.disable()
        garbage = [[k] for k in range(3 * gc.get_threshold()[0])]
        import_bundle.settle_collector()
        assert gc.get_stats()[2]["collections"] == full + 2 and garbage
        assert 0 < import_bundle._moved[0] < import_bundle._moved[1]
    finally:
        import_bundle._moved[:], import_bundle._full_collections[:] = saved
        if not enabled:
            gc.disable()


def _built(copy: Path, prefix: Path) -> tuple[Path, dict[str, Any], int]:
    """Write the copy's bundle with ``python -m wasmem.bundle``; its path, index and
    where its code begins."""
    code = "from wasmem.bundle import main\nimport json\nprint(json.dumps(main()))\n"
    assert _run(copy, prefix, code) == 0
    bundle = _bundle(copy, prefix)
    base, _magic, index = _index(bundle.read_bytes())
    return bundle, index, base


def test_a_built_bundle_groups_the_modules_imported_together(copy: Path,
                                                             tmp_path: Path) -> None:
    """``python -m wasmem.bundle`` stores the validator's modules as one blob (one
    tuple of code objects, each module at its slot), and the translator's as another;
    they are imported from it."""
    prefix = tmp_path / "pyc"
    _bundle_file, index, _base = _built(copy, prefix)
    ops, code = index["wasmem.valid.ops"], index["wasmem.valid.code"]
    assert len(ops) == len(code) == 8 and ops[4:7] == code[4:7] and ops[7] != code[7]
    codegen = index["wasmem.exec.compiler.codegen"]
    assert len(codegen) == 8 and codegen[4:7] != ops[4:7]
    found = _run(copy, prefix)
    assert found["value"] == 42 and found["from_bundle"]
    assert found["code_file"] == found["file"]
    reload = ("import importlib, json, sys, wasmem\nfrom wasmem.valid import ops\n"
              "wasmem.Module(bytes.fromhex('0061736d01000000'))\n"
              "first = ops.enter_block\nimportlib.reload(ops)\n"
              "finder = next(f for f in sys.meta_path if hasattr(f, 'groups'))\n"
              "print(json.dumps([ops.enter_block is not first, 'wasmem.valid.code' in "
              "sys.modules, sum(code is not None for group in finder.groups.values() "
              "for code in group)]))\n")
    assert _run(copy, prefix, reload) == [True, True, 0]  # (no group's code kept)


def test_a_changed_module_of_a_group_is_imported_from_its_source(copy: Path,
                                                                  tmp_path: Path) -> None:
    """Each module of a group is checked against its source: a changed one is imported
    from the source (then recorded alone), its group's others from the bundle."""
    prefix = tmp_path / "pyc"
    bundle, _index_built, _base = _built(copy, prefix)
    ops = copy / "wasmem" / "valid" / "ops.py"
    ops.write_text(ops.read_text() + "\nMARKER = 'changed'\n")
    probe = _PROBE.replace('"marker"', '"code_from_bundle": getattr(sys.modules['
                           '"wasmem.valid.code"].__spec__.loader, "code", None) is not None,'
                           ' "marker"')
    changed = _run(copy, prefix, probe)
    assert changed["marker"] == "changed" and not changed["from_bundle"]
    assert changed["code_from_bundle"]
    again = _run(copy, prefix, probe)
    assert again["marker"] == "changed" and again["from_bundle"] and again["code_from_bundle"]
    _base, _magic, index = _index(bundle.read_bytes())
    assert len(index["wasmem.valid.ops"]) == 7  # (recorded alone)
    assert len(index["wasmem.valid.code"]) == 8  # (still in its group)


def test_a_damaged_group_is_ignored(copy: Path, tmp_path: Path) -> None:
    """A group's blob that does not unmarshal, or to something other than a tuple of
    code: its modules are imported from their sources."""
    import marshal
    prefix = tmp_path / "pyc"
    bundle, index, base = _built(copy, prefix)
    offset, count = index["wasmem.valid.ops"][4:6]
    data = bytearray(bundle.read_bytes())
    for blob in (b"\xff" * count, marshal.dumps((1, 2)).ljust(count, b"\0")):
        data[base + offset:base + offset + count] = blob
        _base, magic, index = _index(bytes(data))  # (the digest made to match the blob)
        for name, entry in index.items():
            if entry[4:6] == (offset, count):
                index[name] = (*entry[:6], import_bundle._digest(blob), *entry[7:])
        bundle.write_bytes(_pack(magic, index, [bytes(data[base:])]))
        assert _run(copy, prefix, PYTHONDONTWRITEBYTECODE="1")["value"] == 42


@pytest.mark.parametrize("where", ["group", "code", "index", "truncated"])
def test_flipped_bits_are_not_run(copy: Path, tmp_path: Path, where: str) -> None:
    """A bit flipped in a group's blob, in one module's code (a bundle recorded by a
    process) or in the index is caught by its digest before the bytes are unmarshalled:
    unmarshalling or running damaged bytecode crashed the process (a segmentation fault,
    a SystemError, or a wrong name in an import). The modules are imported from their
    sources, and the file is written again at exit."""
    prefix = tmp_path / "pyc"
    if where == "code":
        _run(copy, prefix)
        bundle = _bundle(copy, prefix)
    else:
        bundle, _index_built, _base = _built(copy, prefix)
    data = bytearray(bundle.read_bytes())
    base, _magic, index = _index(bytes(data))
    offset, count = index["wasmem.valid.ops"][4:6]
    assert len(index["wasmem.valid.ops"]) == (7 if where == "code" else 8)
    if where == "truncated":  # (in the middle of the validator's group)
        del data[base + offset + count // 2:]
    elif where == "index":  # (its digest, and a module's name: it still unmarshals)
        for place in (12, data.index(b"wasmem.", (16 + base) // 2, base) + 2):
            data[place] ^= 0x20
    else:  # a flip that still unmarshals: the module would define "enter_blocK"
        data[data.index(b"enter_block", base + offset, base + offset + count) + 10] ^= 0x20
    bundle.write_bytes(bytes(data))
    found = _run(copy, prefix)  # (the probe reads ops.enter_block)
    assert found["value"] == 42 and found["recorded"]  # (compiled from the source)
    assert found["from_bundle"] == (where in ("group", "code"))  # (the index was read)
    assert found["code_file"] == found["file"]
    again = _run(copy, prefix)
    assert again["value"] == 42 and again["from_bundle"] and not again["recorded"]
    data = bytearray(bundle.read_bytes())  # (written again: ops's code checks out)
    base, _magic, index = _index(bytes(data))
    offset, count, check = index["wasmem.valid.ops"][4:7]
    assert import_bundle._digest(data[base + offset:base + offset + count]) == check


def test_a_bundle_of_the_earlier_layout_is_ignored(copy: Path, tmp_path: Path) -> None:
    """A file written before the digests (a 4-byte index length, then the index) is not
    read: its modules come from their sources, and the file is written again."""
    import marshal
    prefix = tmp_path / "pyc"
    bundle, _index_built, _base = _built(copy, prefix)
    base, magic, index = _index(bundle.read_bytes())
    earlier = {name: (*entry[:6], *entry[7:]) for name, entry in index.items()}
    header = marshal.dumps((magic, earlier))
    bundle.write_bytes(len(header).to_bytes(4, "little") + header
                       + bundle.read_bytes()[base:])
    found = _run(copy, prefix)
    assert found["value"] == 42 and not found["from_bundle"]
    assert bundle.read_bytes()[:4] == import_bundle._FORMAT
    assert _run(copy, prefix)["from_bundle"]


def test_collect_young_counts_what_it_promotes_and_is_bounded_like_the_moves() -> None:
    """``collect_young`` (before a moving pause) puts the young survivors in the oldest
    generation: they count as moved, and past the bound (objects, or linear memory made)
    it collects all generations instead and restarts the counts."""
    import gc
    saved = (list(import_bundle._moved), list(import_bundle._full_collections),
             list(import_bundle._memory_made))
    try:
        full = gc.get_stats()[2]["collections"]
        import_bundle._full_collections[0] = full
        import_bundle._moved[:] = [0, 10**9]
        import_bundle._memory_made[0] = 0
        gc.disable()  # (no collection of its own between the count and the call)
        kept = [[k] for k in range(300)]
        young = gc.get_count()[0]
        import_bundle.collect_young()
        assert gc.get_stats()[2]["collections"] == full
        assert import_bundle._moved[0] >= young >= 300
        import_bundle._moved[1] = import_bundle._moved[0]  # (the bound reached)
        kept += [[k] for k in range(300)]
        import_bundle.collect_young()
        assert gc.get_stats()[2]["collections"] == full + 1 and kept
        assert import_bundle._moved[0] == 0
        import_bundle.count_memory(import_bundle._MEMORY_BOUND + 1)
        import_bundle.collect_young()
        assert gc.get_stats()[2]["collections"] == full + 2
        assert import_bundle._memory_made[0] == 0
    finally:
        gc.enable()
        (import_bundle._moved[:], import_bundle._full_collections[:],
         import_bundle._memory_made[:]) = saved


_FACTORIES = r"""
import json, sys
from wasmem.exec.interpreter import inline
gen = sys.modules["wasmem.exec.interpreter.gen_operators"]
made = sum(getattr(v, "__module__", "") == gen.__name__ for v in list(vars(gen).values()))
op = inline.HOT["i64.shl"].value["rc"]
with open(gen.__file__) as file:
    source = compile(file.read(), gen.__file__, "exec")
original = next(c for c in source.co_consts if getattr(c, "co_name", "") == op.__name__)
R = [5, 0]
following = op(None, 7, 1, 0, 3)(R)
print(json.dumps({
    "split": "__getattr__" in vars(gen), "made": made, "same": op.__code__ == original,
    "file": op.__code__.co_filename == gen.__file__, "qualname": op.__qualname__,
    "module": op.__module__, "value": R[1], "following": following,
    "kept": inline.HOT["i64.shl"].value["rc"] is op and getattr(gen, op.__name__) is op,
    "forms": len(gen.FORMS)}))
"""


def _factories_check(found: dict[str, Any], split: bool) -> None:
    assert found["split"] == split
    assert found["same"] and found["file"] and found["kept"]
    assert found["value"] == 40 and found["following"] == 7
    assert found["module"] == "wasmem.exec.interpreter.gen_operators"
    assert found["qualname"].startswith("v") and found["forms"] > 300
    if split:  # (the interpreter's import looked up a few: the i32.add forms)
        assert found["made"] < 10


def test_the_generated_factories_are_read_when_first_looked_up(copy: Path,
                                                               tmp_path: Path) -> None:
    """A built bundle stores the interpreter's generated factory modules split: their
    functions are made when looked up, the same code as the source's, at its place."""
    prefix = tmp_path / "pyc"
    _bundle_file, index, _base = _built(copy, prefix)
    assert "wasmem.exec.interpreter.gen_operators/functions" in index
    assert "wasmem.exec.interpreter.gen_entries/functions" not in index
    _factories_check(_run(copy, prefix, _FACTORIES), split=True)
    _factories_check(_run(copy, prefix, _FACTORIES, WASMEM_IMPORT_BUNDLE="0"), split=False)


def test_a_recorded_bundle_splits_the_generated_factories_too(copy: Path,
                                                             tmp_path: Path) -> None:
    prefix = tmp_path / "pyc"
    _factories_check(_run(copy, prefix, _FACTORIES), split=False)  # (recorded at exit)
    _factories_check(_run(copy, prefix, _FACTORIES), split=True)


def test_a_damaged_factory_is_compiled_from_its_source(copy: Path, tmp_path: Path) -> None:
    """A bit flipped in a split module's functions is caught by that function's digest:
    the function is compiled from the module's source instead."""
    prefix = tmp_path / "pyc"
    bundle, index, base = _built(copy, prefix)
    offset, count = index["wasmem.exec.interpreter.gen_operators/functions"][4:6]
    data = bytearray(bundle.read_bytes())
    for place in range(base + offset, base + offset + count, 97):
        data[place] ^= 0x20
    bundle.write_bytes(bytes(data))
    _factories_check(_run(copy, prefix, _FACTORIES, PYTHONDONTWRITEBYTECODE="1"),
                     split=True)
    assert _run(copy, prefix, PYTHONDONTWRITEBYTECODE="1")["value"] == 42
