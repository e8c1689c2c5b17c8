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
