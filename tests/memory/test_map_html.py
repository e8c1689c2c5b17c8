"""The HTML memory map (``wasmem map --html``) rendered by a real browser: headless
Chromium loads the page from disk (no network), runs its script and takes a screenshot."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _data import DATA

from wasmem.cli import main
from wasmem.memory.regions import KINDS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if CHROMIUM is None:
        print("chromium is not installed: the browser test is skipped")
        pytest.skip("chromium is not installed")
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("map") / "heap.html"
    assert main(["map", str(DATA / "map" / "heap.wasm"), "--html", str(out)]) == 0
    return out


def test_page_is_self_contained(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    assert "<script src" not in text and "<link" not in text


def test_browser_runs_the_page(page: Path, tmp_path: Path) -> None:
    result = chromium(tmp_path, "--dump-dom", page.as_uri())
    dom = result.stdout
    assert 'data-ready="yes"' in dom, result.stderr[-2000:]  # the script ran to its end
    legend = set(re.findall(r'<li data-kind="([a-z-]+)"', dom))
    assert set(KINDS) <= legend
    rows = set(re.findall(r'<tr data-kind="([a-z-]+)"', dom))
    assert {"data", "stack", "stack-free", "heap", "zeros"} <= rows
    assert len(re.findall(r'data-page="\d+"', dom)) == 2  # one square per 64 KiB page
    assert 'bytes/row' in dom


def test_browser_shows_an_address_as_on_hover(page: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", page.as_uri() + "#0x404").stdout
    info = re.search(r'<div id="info">(.*?)</div>', dom, re.S)
    assert info is not None, dom[-2000:]
    text = info.group(1)
    assert "address 0x00000404 (1028)  page 0" in text
    assert "bytes at 0x00000400: " in text  # the page's bytes: "hello from the data segment"
    assert "68 65 6c 6c [6f]" in text
    assert "owner: .rodata (data) 0x00000400-0x0000041c" in text


def test_browser_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "map.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,900", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10_000  # a drawn grid, not a blank page


def test_large_memory_embeds_its_first_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import wasmem
    from wasmem.memory import map_html
    from wasmem.memory.regions import memory_regions
    monkeypatch.setattr(map_html, "MAX_EMBEDDED", 1000)
    inst = wasmem.Instance(wasmem.Module('(module (memory 2) (data (i32.const 70000) "x"))'))
    memory = inst._instance.memories[0]
    text = map_html.render_page([(0, memory, memory_regions(inst))], title="t")
    maps = json.loads(re.search(r'id="maps">(.*?)</script>', text).group(1))
    assert (maps[0]["size"], maps[0]["total"]) == (1000, 131072)
    assert '<tr data-kind="data" data-memory="0" data-start="70000"' in text


HOT = """(module (memory 1)
  (func (export "work") (param $n i32)
    (loop $again
      (i32.store (i32.const 0x400) (local.get $n))
      (drop (i32.load16_u (i32.const 0x402)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))"""


@pytest.fixture(scope="module")
def heat_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("heat")
    (folder / "hot.wat").write_text(HOT)
    out = folder / "hot.html"
    assert main(["map", str(folder / "hot.wat"), "--invoke", "work", "6", "--trace",
                 "--html", str(out)]) == 0
    return out


def test_browser_heat_view_shows_counts_on_hover(heat_page: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", heat_page.as_uri() + "#0x402/writes").stdout
    assert '<body data-mode="writes" data-ready="yes">' in dom, dom[-2000:]
    assert re.search(r'<select id="mode">.*value="reads".*value="writes"', dom, re.S)
    legend = re.search(r'<p id="heatlegend">(.*?)</p>', dom, re.S)  # shown: not hidden
    assert legend is not None and '<b class="what">writes</b>' in legend.group(1)
    assert '<span class="most">6</span>' in legend.group(1)  # the hottest byte's writes
    info = re.search(r'<div id="info">(.*?)</div>', dom, re.S)
    assert info is not None and "address 0x00000402 (1026)" in info.group(1)
    assert info.group(1).rstrip().endswith("reads 6, writes 6")  # stored 6 times, read 6
    dom = chromium(tmp_path, "--dump-dom", heat_page.as_uri() + "#0x400").stdout
    assert 'data-mode="regions"' in dom and '<p id="heatlegend" hidden' in dom
    info = re.search(r'<div id="info">(.*?)</div>', dom, re.S)
    assert info is not None and info.group(1).rstrip().endswith("reads 0, writes 6")


def test_page_without_trace_has_no_heat_view(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert 'id="mode"' not in text and 'id="heatlegend"' not in text
    assert '"heat"' not in text
