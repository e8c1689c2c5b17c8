"""Whole functions known to copy or fill memory: an exact fast path at their entry.

clang compiles a C program's ``memcpy`` (and ``memmove``, ``memset``) from wasi-libc's
C code (musl's ``src/string``) when bulk memory is off, and real programs call them
constantly with small sizes (struct copies): each call of the translated code runs the
alignment prologue, the word loop and the tails, some 40 Python lines. The compiled
bodies come from the C library archive, so every program built against the same
wasi-libc holds them byte for byte.

:func:`known_copy` recognises such a function by its code, never by its name: the
text of its locals and instructions (opcodes and immediates, nested blocks included)
must equal, in full, one of those kept in :data:`_TEXTS` (zlib, imported only when a
function has a known body's signature and locals; a cryptographic digest would cost
~10 ms of ``hashlib`` import at the first translation), each the text of a body whose
behaviour was read from its source and checked against its own translation
(tests/exec/compiler/test_compiler_known_copies.py runs them side by side on the
committed text of those bodies). Any other body, a changed instruction or constant
included, is translated as it is.

:func:`entry_lines` gives the test the translation puts at the function's entry: when
every byte the function would read and write lies inside the memory (and, for
``memcpy``, source and destination do not overlap, where the C code's order would
show), the function can neither trap nor depend on that order, and its whole effect
is one slice assignment and its result the destination pointer. Otherwise (a range
past the end, a wrap-around, an overlapping ``memcpy``) the translated body runs, and
traps where the C code would, after the same partial writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from typing import TYPE_CHECKING

from ...syntax.instructions import Block, Instruction
from ...syntax.module import Function
from ...syntax.opcodes import Op
from ...syntax.types import I32, I64, FuncType, ValType
from .frames import count_instructions

if TYPE_CHECKING:
    from .context import ModuleContext

__all__ = [
    "KNOWN", "body_text", "entry_lines", "fast_path", "fingerprint", "known_copy", "known_copy_of",
]

KNOWN: dict[str, str] = {
    # wasi-libc (musl src/string/memcpy.c), clang -O2, as in libc.a of wasi-libc git
    # 20220510.9886d3d (Debian/Ubuntu's wasi-libc package)
    "5402:813f3a86": "memcpy",
    # the same archive's memset.c (stores only inside [d, d + n), reads nothing)
    "1597:59ff2474": "memset",
    # the same archive's memmove.c: its text names its one call's target ``callee``
    # (see _serialise), which must be the memcpy above (known_copy checks it)
    "5482:7201ec0a": "memmove",
}
"""Fingerprint (:func:`fingerprint`) -> what the function does."""

_TEXTS: dict[str, bytes] = {
    "5402:813f3a86": bytes.fromhex(
        "78dac5584dd2a4200cbd8abb8faeea8590a07889b9c52c663373ffdda0a22490f8dfd56557ab10c80be4"
        "2544f3f307dccfbbd9bdbd1a677efdfbfbfbfd6a4c137ffc0d9cb1f1b9f306e2cd5a30f165887ff1a98d"
        "2db1dfbdaba6741b47a28f6fcdf87b353ee4e765a037e8061cbade0d7ed4d076712680495d9a29ca58da"
        "857976de85c66b58ed3c06de555385d512ac56c38a3a56a763754f637504abd3b0828e1574acf0345620"
        "5841c3ea74aca863655d931bcd5de39594f0e9f80c69d0786d71a1620696ab12576a72c799083ba321f9"
        "6f17ef3d186558165cd628b474672c9965069169984c1c6d436bdc4a439f9f25a940a402955af514bbe0"
        "a53ecfd617f26e58c1ee494a5ade63f0e37421eb5e01e5b6fdf114bc64d1fe0c0e851948e3fe0ce0f4c5"
        "e57d9ed02e7b4687d43316ff1a657b9f1d63b9d27880952a5ae80f5ae83fb643d56e640350e8c21d3478"
        "044d4bd0a08406753478068d3b82a6273970603910f59ce1852e5fd388f2decea1cf699881f8921e728e"
        "9d0784b46dd1a4a4e95e31c6af50958d893e3af2ab381524e18ec5b560aa2cc7e54221b6266e38900c51"
        "4886fddcd6668654f1a9cf116e251d31b5ec72a577156b11a825298a74348a4ce6d9b8c8954fd78ebb66"
        "d6a0a9eb0475e194ba20a8b3ee73e691b989c2ee03065a29a15931e6f26ccc727a1173458f01d5634a87"
        "f49cdbfbb4e281060e1c60a560f4351e24e6734f21e1e06922707de194be4b4cb863e0352a5c32f13617"
        "fa47b8e0b68ff8a7520c1c283c51283cbfc68514afb8ab848f5181ab0b67d45d62c20df3ae11e18a81b7"
        "79101ee181958e839bb5e5eee954ff42c35995bf8d203b62f12a20f6f8a50a589fa5f3b0057220b620c9"
        "cddf633cfd20e36f15a45b8b75b0ca694995d36e12a08413cea03958e5b4a4ca6937d95fa2c13368be56"
        "e54059e5d0af4c42ec577c39494eb4fb0f545bb61e"
    ),
    "1597:59ff2474": bytes.fromhex(
        "78da95544b72852010bc0a3bb1ea2d980f035ce2dd228b6c92fbef02220f4489585205383d74331ff4f2"
        "4db8bc543f092fab42fdfefdf97aad4aab380835c6b504bd2a206de23afeda278893f571a7d2580b7807"
        "8091e844ac291d603563e0200e83adc6e119119fdc1cfdcf8bc5e7648162e9d9e986bdc7f39c5a37a196"
        "461c38c711ae39a2c5b46177fa133f00ca39e03e213b51c4a1b51f64dc82782663c2e6e0b3c326893576"
        "61aaf9e696f878ad4b05781b80231b0f03d0dc25fbf84e61b57017cec2eefd0d7b8fe739b56827e4220f"
        "f5a2199a40c6261cc936cfaee9e4211e9fe1c54f84b16996b64831ef385793fd545f2d2dc273f013076c"
        "ff446aeda5ce05dc649096439a9a978a366fea1f47c8c0e46653cb55f5a5bb0ec532c681cce1fc1c8cf0"
        "24fd9c80ab96a48475b6c6ad7cfbf3b2fe01d72b19b8"
    ),
    "5482:7201ec0a": bytes.fromhex(
        "78dad5584b8edb300cbd8a77a30059981fc9f625e60e45914581417bff5d25cb8af5a16429290a0c1cc0"
        "964d524f4f7e2463f5f18bf0e33e09a7db84eaf3cfefc7fd36a9c9fe08d56cafed09ec6999d56d02da6f"
        "1576e0ed0e73b427988db52756b40f163b303a36b023e705e0ecbcc1a2cf29d2c94350a37efef8fa7a3c"
        "2c84ddcd3f75470a0240fb09f7d96d48fb841417d05ba36cf95b63f92eb0d912f00eee316508441e0dee"
        "277788f325a0fbe2e1c9014648a8a091dd0e4cee779bf47a5e9f5bc2b8f16616dcf4b98712712758c837"
        "bbb20028ccc90f12fcdc811f22fc50c3cfbdf8710c3fbe8f1f23fc58c34fbdf8690c3fbd8f9f22fc14f0"
        "1f6812da299999f399855563beea48e1a2ea6a8a2c8810e4196e7191bc2a42e0946c4ef2d3f9a8a63239"
        "6dc8bb455ee078cf931c7503e7ef0a9cbe2bf024954483b4863511c769dc4b66a146e16922d051c68255"
        "65e9372d8e9c2c334d19757546ba176d8cb3c9319ba249c0102ce26756f8e487cfebab9c81e766b645ec"
        "17190eeb72b00598715ef2b0cec51a0b1e521b2df1a02bcd5200f124c708865c1836183ba2ae39e3c9bd"
        "6b7f16fcb9d7ff70e9dfd798410e0f5da4b84b8cf62fcee878bfee6974434fa3c2d01dc2d0ff48182fb6"
        "706f0b83225de0ffcd0f2c342f023559ff734557d9d03de9c1017f10fca1d7ff7019d8d4b2c6f80d8bfe"
        "56c4ad5c470de1d60ce6aa862cb15430978ad496855eb29e091a0d23d5db4cee781b9bcd1d8aaf7f6060"
        "cdebc26b6b9372290ce6d23c97c3782e0714020c551330520433100167214274b3238244238ef0881291"
        "38c22461fd2f0fa1f00a67efa961a1ae37ea9cf0ad81af4a4d4df3af8bb79eb0b8a33692f02d80da9f09"
        "de12ef32a2ddfad248c8f83090f149a83830507148a8823050f1fa72cfa5bf16fcf580bf9438cc80ff22"
        "f82f03fe6bfdb55baff5baaeb95ecbd76e1ffe053b5eca9b"
    ),
}
"""Fingerprint -> the zlib-compressed text (:func:`_serialise`) of the known body, which
:func:`known_copy` compares in full: the fingerprint only picks the candidate."""

_COUNTS: dict[tuple[ValType, ...], int] = {
    (I32,) * 6: 676, (I32, I32, I32, I64): 188, (I32,) * 4: 667}
"""The declared locals of the :data:`KNOWN` bodies (memcpy, memset, memmove), and their
instruction counts (:func:`.frames.count_instructions`): no text is made for another
function (making one costs ~0.5 ms for a body of this size, counting ~0.02)."""


def _serialise(body: Sequence[Instruction], out: list[str], calls: list[int]) -> None:
    """Append a text naming every instruction of ``body`` (nested bodies included), a
    ``call`` by the word ``callee`` instead of its target, which goes to ``calls``."""
    stack: list[tuple[Sequence[Instruction], int]] = [(body, 0)]
    while stack:
        sequence, position = stack.pop()
        if position == len(sequence):
            out.append(")")
            continue
        ins = sequence[position]
        if ins.opcode == Op.CALL:
            calls.append(ins.immediates[0])
            out.append(f"{ins.opcode}(callee)")
        else:
            out.append(f"{ins.opcode}{ins.immediates!r}")
        stack.append((sequence, position + 1))
        if type(ins) is Block:
            out.append("(")
            stack.append((ins.else_body, 0))
            out.append("")  # (separates body from else body once both are closed)
            stack.append((ins.body, 0))
            out.append("(")


def _text(function: Function, calls: list[int] | None = None) -> bytes:
    """The text naming ``function``'s locals and instructions (not their positions);
    the targets of its calls go to ``calls``."""
    out: list[str] = [repr(tuple(str(t) for t in function.locals))]
    _serialise(function.body, out, [] if calls is None else calls)
    return " ".join(out).encode()


body_text = _text
"""The text of a body (:func:`_text`), for the other known bodies (.known_libm)."""


def fingerprint(function: Function) -> str:
    """The length and CRC-32 of ``function``'s text (:func:`_text`): a cheap key that
    picks the one known body it could be (not a proof: :func:`known_copy` compares
    the whole text)."""
    import zlib  # (only for a function of a known body's signature and locals)
    text = _text(function)
    return f"{len(text)}:{zlib.crc32(text):08x}"


def known_copy(function: Function, function_type: FuncType, memories: int,
               ctx: ModuleContext | None = None) -> str | None:
    """``"memcpy"``, ``"memset"`` or ``"memmove"`` when ``function`` is one of the
    :data:`KNOWN` bodies (with the C signature ``(i32, i32, i32) -> i32`` over memory
    0), else None. ``memmove`` needs ``ctx`` (the module), to check that what it calls
    is the known ``memcpy``."""
    count = _COUNTS.get(function.locals)
    if memories < 1 or function_type.params != (I32, I32, I32) \
            or function_type.results != (I32,) or count is None \
            or count_instructions(function.body) != count:
        return None
    import zlib  # (not at import: a first translation seldom needs it)
    calls: list[int] = []
    text = _text(function, calls)
    key = f"{len(text)}:{zlib.crc32(text):08x}"
    known = _TEXTS.get(key)
    if known is None or zlib.decompress(known) != text:
        return None
    if calls:  # (memmove: every call must be to the known memcpy of this module)
        if ctx is None:
            return None
        for index in set(calls):
            if index < ctx.imported_functions or known_copy_of(ctx, index) != "memcpy":
                return None
    return KNOWN[key]


def known_copy_of(ctx: ModuleContext, index: int) -> str | None:
    """:func:`known_copy` of defined function ``index`` (function index space) of the
    module of ``ctx``, found once per function (``ctx.copies``, kept with the function
    it is about: a loop continuation's context shares the dictionary, osr.py, and gives
    each continuation the same index)."""
    function = ctx.module.functions[index - ctx.imported_functions]
    known = ctx.copies.get(index)
    if known is None or known[0] is not function:
        known = ctx.copies[index] = (function, known_copy(
            function, ctx.function_types[index], len(ctx.memories), ctx))
    return known[1]


def fast_path(kind: str, d: str, s: str, n: str, names: tuple[str, str, str],
              memory: str = "M0") -> tuple[str, str]:
    """The test and the statement of the fast path of a function ``kind`` called with
    destination ``d``, source (``memcpy``, ``memmove``) or byte (``memset``) ``s`` and
    length ``n`` (names or literals, read more than once) over ``memory``: when the test
    holds, the statement is the call's whole effect (its result is ``d``). ``names`` are
    three variables the test may assign (end of the destination, end of the source,
    the memory's length).

    Raises:
        ValueError: ``kind`` is not a kind of :data:`KNOWN`.
    """
    e, f, m = names
    if kind == "memcpy":  # (inside the memory, not overlapping: the C code's order
        # cannot show)
        return (f"(({e} := {d} + {n}) <= ({m} := len({memory})) and ({f} := {s} + {n}) <= {m}"
                f" and ({e} <= {s} or {f} <= {d}))",
                f"{memory}[{d}:{e}] = {memory}[{s}:{f}]")
    if kind == "memmove":  # (below 2**31 bytes: musl's overlap test is exact there)
        return (f"({n} < 2147483648 and ({e} := {d} + {n}) <= ({m} := len({memory}))"
                f" and ({f} := {s} + {n}) <= {m})",
                f"{memory}[{d}:{e}] = {memory}[{s}:{f}]")
    if kind == "memset":  # (a literal byte: its fill made once, when the code is)
        fill = f"b'\\x{int(s) & 255:02x}'" if s.isdigit() else f"bytes(({s} & 255,))"
        return (f"({e} := {d} + {n}) <= len({memory})",
                f"{memory}[{d}:{e}] = {fill} * {n}")
    raise ValueError(f"no fast path for {kind!r}")


def entry_lines(kind: str) -> list[str]:
    """The fast path for a function ``kind`` (``"memcpy"``: destination ``l0``, source
    ``l1``, length ``l2``; ``"memset"``: destination ``l0``, byte ``l1``, length ``l2``)
    over memory ``M0``, at its entry.

    Raises:
        ValueError: ``kind`` is not a kind of :data:`KNOWN`.
    """
    test, statement = fast_path(kind, "l0", "l1", "l2", ("_e", "_f", "_m"))
    return [f"    if {test}:", f"        {statement}", "        return l0"]
