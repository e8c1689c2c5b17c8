"""The lint walk (wasmem.tools.lint.walk): what it records for loops left from deep
inside nested code, and nesting deep enough that a walk quadratic in the depth would not
finish (`wasmem lint` took minutes on 50,000 nested ifs before the walk skipped the
loops already marked)."""

from __future__ import annotations

import wasmem
from wasmem.syntax.opcodes import Op
from wasmem.tools.lint.walk import FunctionFacts, walk_function


def _facts(text: str) -> FunctionFacts:
    ast = wasmem.Module(text).ast
    return walk_function(ast, 0, ast.functions[0])


def _nested_loops(depth: int, inner: str) -> str:
    return "(module (func " + "(loop " * depth + inner + ")" * depth + "))"


def test_a_branch_out_of_nested_loops_marks_exactly_the_loops_it_leaves() -> None:
    # four loops; from the innermost: br_if 1 (leaves only the innermost), then br_if 3
    # (leaves the three inner ones), then br_if 1 again (nothing new)
    facts = _facts(_nested_loops(4, "(br_if 1 (i32.const 0)) (br_if 3 (i32.const 0)) "
                                    "(br_if 1 (i32.const 0)) (br 0)"))
    assert [loop.exits for loop in facts.loops] == [False, True, True, True]
    assert all(loop.tests for loop in facts.loops)


def test_branches_from_different_levels_combine() -> None:
    text = ("(module (func (loop (loop (br_if 1 (i32.const 0)) (loop (loop "
            "(br_if 1 (i32.const 0)) (br_if 3 (i32.const 0)) (br 0)) (br 0)) (br 0)) (br 0))))")
    facts = _facts(text)
    # the innermost leaves to loop 2 (index 1); loop index 1 leaves to loop index 0
    assert [loop.exits for loop in facts.loops] == [False, True, True, True]


def test_a_return_marks_every_open_loop_and_only_the_first_dead_exit_is_kept() -> None:
    facts = _facts(_nested_loops(3, "(br 0) (br 2) (return)"))
    assert [loop.exits for loop in facts.loops] == [False, False, False]
    dead = [[ins.opcode for ins in loop.dead_exits] for loop in facts.loops]
    assert dead == [[Op.RETURN], [Op.BR], [Op.BR]]
    facts = _facts(_nested_loops(3, "(if (i32.const 0) (then (return))) (br 0)"))
    assert [loop.exits for loop in facts.loops] == [True, True, True]


def test_deep_nesting_is_walked() -> None:
    depth = 10_000
    text = ("(module (func (loop " + "(if (i32.const 1) (then " * depth + "(br_if 0 (i32.const 0))"
            + "))" * depth + " (br 0))))")
    facts = _facts(text)
    assert len(facts.loops) == 1 and facts.loops[0].tests and not facts.loops[0].exits
    loops = 5_000
    facts = _facts(_nested_loops(loops, " ".join(f"(br_if {d} (i32.const 0))"
                                                 for d in range(loops))))
    assert all(loop.exits for loop in facts.loops[1:]) and not facts.loops[0].exits
