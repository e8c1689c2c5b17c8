"""Smoke test of ``bench/observe.py`` (what watching costs): one tiny row per case, the
table and the README section it writes. No timing is asserted (the numbers live in
``bench/README.md``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "observe.py"


@pytest.fixture(scope="module")
def observe() -> object:
    spec = importlib.util.spec_from_file_location("bench_observe", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_observe"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("tier", ["compile", "interpret"])
def test_rows_measure_every_case(observe: object, tier: str) -> None:
    row = observe.measure("memsum", 64, tier, 1)  # type: ignore[attr-defined]
    assert row["workload"] == "memsum 64" and row["tier"] == tier
    assert all(row[key] > 0 for key in ("base", "unwatched", "cold", "hot", "trace"))
    assert row["hits"] == 32 and row["same"]  # 16 stores, 16 loads at 0..63
    calls_only = observe.measure("fib", 5, tier, 1)  # type: ignore[attr-defined]
    assert calls_only["cold"] is None and calls_only["trace"] > 0


def test_the_section_replaces_its_own_in_the_readme(observe: object, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [observe.measure("memsum", 64, "compile", 1)]  # type: ignore[attr-defined]
    text = observe.section(rows, 1)  # type: ignore[attr-defined]
    assert text.startswith(observe.HEADING) and "| memsum 64 | compile |" in text  # type: ignore[attr-defined]
    readme = tmp_path / "README.md"
    readme.write_text(f"# b\n\n{observe.HEADING}\n\nSTALE TEXT\n\n## Next\n\nkept\n",  # type: ignore[attr-defined]
                      encoding="utf-8")
    monkeypatch.setattr(observe, "BENCH", tmp_path)
    observe.write_readme(text)  # type: ignore[attr-defined]
    written = readme.read_text(encoding="utf-8")
    assert "STALE TEXT" not in written and written.endswith("## Next\n\nkept\n")
    assert written.count(observe.HEADING) == 1  # type: ignore[attr-defined]
