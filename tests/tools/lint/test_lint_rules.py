"""``wasmem lint``: each rule on small modules (found / not found, with line:col and a
fix), the chapter's listings as printed, and the command line."""

from __future__ import annotations

import pytest

from _data import ROOT

from wasmem.cli import main
from wasmem.tools.lint import RULES, Finding, lint_file, lint_source
AS_PRINTED = ROOT / "src" / "wasmem" / "examples" / "chapter5" / "as_printed"


def rules(text: str) -> list[tuple[str, int | None, int | None]]:
    return [(f.rule, f.line, f.column) for f in lint_source(text, file="t.wat")]


def only(text: str) -> Finding:
    findings = lint_source(text, file="t.wat")
    assert len(findings) == 1, [f.format() for f in findings]
    finding = findings[0]
    assert finding.rule in RULES and finding.message and finding.fix
    assert "\n" not in finding.message and "\n" not in finding.fix
    return finding


# ------------------------------------------------------------------ loops
EXIT_RESTARTS = """(module
  (func $count (param $n i32) (local $i i32)
    (loop $again
      (if (i32.ge_u (local.get $i) (local.get $n))
        (then (br $again)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $again))))"""


def test_exit_test_that_restarts_the_loop() -> None:
    finding = only(EXIT_RESTARTS)
    assert (finding.rule, finding.line, finding.column) == ("loop-exit-restarts", 5, 16)
    assert "$again" in finding.message and finding.function == "$count"
    assert "(block $done" in finding.fix
    assert finding.format("t.wat").startswith("t.wat:5:16: loop-exit-restarts: ")


def test_br_if_to_the_loop_in_a_loop_without_exit() -> None:
    text = """(module (func (param $n i32)
  (loop $l
    (br_if $l (i32.eqz (local.get $n)))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br $l))))"""
    assert rules(text) == [("loop-exit-restarts", 3, 6)]


@pytest.mark.parametrize("text", [
    # the fix: leave a block
    """(module (func (param $n i32) (local $i i32)
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))))""",
    # br_if $loop as "continue" in a loop that ends by falling through
    """(module (func (param $n i32)
      (loop $l
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l (local.get $n)))))""",
    # a loop that returns from the function
    """(module (func (param $n i32) (result i32)
      (loop $l
        (if (i32.eqz (local.get $n)) (then (return (i32.const 7))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l))
      (i32.const 0)))""",
    # a loop that traps on purpose
    """(module (func (param $n i32)
      (loop $l (if (local.get $n) (then unreachable)) (br $l))))""",
    # a deliberate spin: no condition at all
    """(module (func (loop $forever (br $forever))))""",
    # an exit through br_table
    """(module (func (param $n i32) (block $out (loop $l
      (br_table $l $out (local.get $n))))))""",
], ids=["block-exit", "continue", "return", "trap", "spin", "br_table"])
def test_loops_with_a_way_out_are_fine(text: str) -> None:
    assert rules(text) == []


def test_exit_after_an_unconditional_branch_is_unreachable() -> None:
    text = """(module (func (param $n i32)
  (block $done
    (loop $l
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)
      (br_if $done (i32.eqz (local.get $n)))))))"""
    finding = only(text)
    assert (finding.rule, finding.line, finding.column) == ("loop-no-exit", 3, 6)
    assert "6:8" in finding.message and "unreachable" in finding.message


def test_loop_that_tests_but_never_leaves() -> None:
    text = """(module (func (param $n i32)
  (loop $l
    (if (local.get $n)
      (then (local.set $n (i32.const 0)) (br $l)))
    (br $l))))"""
    assert rules(text) == [("loop-no-exit", 2, 4)]


def test_loop_after_a_runaway_loop_is_still_checked() -> None:
    text = """(module (func (param $n i32)
  (loop $a (if (local.get $n) (then (br $a))) (br $a))
  (loop $b (if (local.get $n) (then (br $b))) (br $b))))"""
    assert [r[0] for r in rules(text)] == ["loop-exit-restarts"] * 2


# ------------------------------------------------------------------ memory.grow
def test_grow_result_left_on_the_stack() -> None:
    text = """(module (memory 1)
  (func (param $p i32) (result i32)
    (memory.grow (local.get $p))
    (i32.const 1)))"""
    findings = lint_source(text)
    assert [(f.rule, f.line, f.column) for f in findings] == [
        ("grow-result-ignored", 3, 6), ("invalid", 4, 18)]


def test_grow_dropped_then_memory_used() -> None:
    text = """(module (memory 1)
  (func (drop (memory.grow (i32.const 1)))
    (i32.store (i32.const 70000) (i32.const 1))))"""
    finding = only(text)
    assert (finding.rule, finding.line, finding.column) == ("grow-result-ignored", 2, 16)
    assert "i32.store" in finding.message


@pytest.mark.parametrize("text", [
    "(module (memory 1) (func (param i32) (drop (memory.grow (local.get 0)))))",
    """(module (memory 1) (func (drop (memory.grow (i32.const 1)))
       (drop (memory.size)) (i32.store (i32.const 0) (i32.const 1))))""",
    """(module (memory 1) (func (result i32) (memory.grow (i32.const 1))))""",
    """(module (memory 1) (func
       (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
       (i32.store (i32.const 70000) (i32.const 1))))""",
], ids=["grow-only", "checked-with-size", "returned", "checked"])
def test_grow_results_that_are_fine(text: str) -> None:
    assert rules(text) == []


# ------------------------------------------------------------------ alignment
@pytest.mark.parametrize(("instruction", "align"), [
    ("i32.load", 8), ("i32.load8_u", 2), ("i64.store32", 8), ("f64.load", 16)])
def test_align_larger_than_natural(instruction: str, align: int) -> None:
    operands = "(i32.const 0)" if "load" in instruction else \
        f"(i32.const 0) ({'f64' if instruction.startswith('f64') else instruction[:3]}.const 0)"
    body = f"({instruction} align={align} {operands})"
    if "load" in instruction:
        body = f"(drop {body})"
    findings = lint_source(f"(module (memory 1)\n  (func {body}))")
    assert [f.rule for f in findings] == ["align-too-large"]
    assert findings[0].line == 2 and f"align={align}" in findings[0].message


def test_align_that_does_not_parse_is_reported_from_the_parse_error() -> None:
    finding = only("(module (memory 1) (func (drop (i32.load align=3 (i32.const 0)))))")
    assert finding.rule in ("parse-error", "align-too-large")
    assert finding.line == 1 and finding.column is not None and "align" in finding.fix


def test_natural_and_smaller_alignment_is_fine() -> None:
    assert rules("""(module (memory 1) (func
      (drop (i64.load align=8 (i32.const 0))) (drop (i32.load align=1 (i32.const 1)))))""") == []


# ------------------------------------------------------------------ constant addresses
def test_constant_address_beyond_a_memory_that_cannot_grow() -> None:
    finding = only("(module (memory 1) (func (drop (i32.load (i32.const 65533)))))")
    assert finding.rule == "address-out-of-range" and "0xfffd" in finding.message


def test_constant_address_beyond_the_maximum() -> None:
    text = """(module (memory (export "m") 1 2)
  (func (i64.store offset=8 (i32.const 0x20000) (i64.const 0))))"""
    assert rules(text) == [("address-out-of-range", 2, 10)]


@pytest.mark.parametrize("text", [
    "(module (memory 1) (func (drop (i32.load (i32.const 65532)))))",
    '(module (memory (export "m") 1) (func (drop (i32.load (i32.const 70000)))))',
    "(module (memory 1) (func (drop (memory.grow (i32.const 1))) (drop (memory.size))"
    " (drop (i32.load (i32.const 70000)))))",
    '(module (import "env" "m" (memory 1)) (func (drop (i32.load (i32.const 70000)))))',
], ids=["last-word", "exported", "grown", "imported"])
def test_addresses_that_may_be_fine(text: str) -> None:
    assert rules(text) == []


def test_data_segment_past_the_initial_memory() -> None:
    finding = only('(module (memory 1)\n  (data (i32.const 65530) "0123456789"))')
    assert (finding.rule, finding.line) == ("address-out-of-range", 2)
    assert "instantiation" in finding.message


# ------------------------------------------------------------------ errors as findings
def test_parse_error_becomes_one_finding() -> None:
    finding = only('(module (data $d passive "x"))')
    assert (finding.rule, finding.line, finding.column) == ("parse-error", 1, 18)
    assert '(data $name "bytes")' in finding.fix


def test_binary_input_uses_byte_offsets() -> None:
    import wasmem
    binary = wasmem.Module(EXIT_RESTARTS).to_bytes()
    findings = lint_source(binary)
    assert [f.rule for f in findings] == ["loop-exit-restarts"]
    assert isinstance(findings[0].position, int)
    assert findings[0].format().startswith("@0x")


# ------------------------------------------------------------------ the chapter
EXPECTED = {
    "01-memory-basics": [],
    "02-memory-layout": [],
    "03-memory-grow": [("grow-result-ignored", 16, 6), ("invalid", 22, 28)],
    "04-loads": [],
    "05-stores": [("loop-exit-restarts", 23, 16), ("loop-exit-restarts", 44, 16)],
    "06-bulk-memory": [("parse-error", 20, 18)],
    "07-static-data": [],
    "08-passive-data": [("parse-error", 5, 24)],
    "09-alignment": [],
    "10-performance": [("loop-exit-restarts", 12, 16), ("loop-exit-restarts", 39, 16),
                       ("loop-exit-restarts", 54, 16), ("loop-exit-restarts", 75, 16)],
    "11-heap-allocator": [("invalid", 54, 24), ("loop-exit-restarts", 108, 16)],
    "12-pool-allocator": [("loop-exit-restarts", 37, 16), ("loop-exit-restarts", 120, 16)],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_chapter_listings_as_printed(name: str) -> None:
    findings = lint_file(AS_PRINTED / f"{name}.wat")
    assert [(f.rule, f.line, f.column) for f in findings] == EXPECTED[name]


def test_cli_lint(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["lint", str(AS_PRINTED / "05-stores.wat"),
                   str(AS_PRINTED.parent / "05-stores.wat")])
    out = capsys.readouterr().out
    assert status == 1
    assert f"{AS_PRINTED / '05-stores.wat'}:23:16: loop-exit-restarts: " in out
    assert "    fix: " in out
    assert out.rstrip().endswith("05-stores.wat: no findings")
    assert main(["lint", "-q", str(AS_PRINTED.parent / "05-stores.wat")]) == 0
    assert capsys.readouterr().out == ""


def test_cli_lint_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "/nonexistent/x.wat"]) == 1
    assert "cannot read" in capsys.readouterr().err
