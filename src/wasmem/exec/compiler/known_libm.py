"""musl's ``sin``, ``cos`` and ``fmod`` (wasi-libc) recognised: one call each.

A C program's ``sin(x)`` compiled against wasi-libc runs musl's code: ``sin`` reads the
stack pointer, calls ``__rem_pio2`` (which writes the reduced argument as two doubles
into ``sin``'s stack frame) and then ``__sin`` or ``__cos``: three translated calls,
each with its call-depth prologue, and the frame's memory traffic, for some twenty
double operations. Astronomy, signal and physics code calls them in its inner loops.

:func:`known_libm` recognises such a ``sin`` or ``cos`` by its code, never by its name,
as :mod:`.known_copies` recognises ``memcpy``: the text of its locals and instructions
must equal the one kept here in full, and so must the bodies of the functions it calls
at each of its call sites (``__sin``, ``__rem_pio2``, ``__cos`` in their places). The
bodies come from the C library archive (``libc.a``), so every program built against the
same wasi-libc holds them byte for byte. Any other body is translated as it is.

:func:`entry_lines` gives the test the translation puts at such a function's entry:
:func:`musl_trig` computes, with the same double operations in the
same order (Python's floats are IEEE doubles: each operation rounds as ``f64.add`` and
``f64.mul`` do), what the three functions compute for every argument below 2**20 * pi/2
in magnitude, and write the two reduced doubles where ``__rem_pio2`` writes them. The
fast path is taken only where the translated calls can neither trap nor reach the call
depth's limit: the stack pointer aligned, the frame's 16 bytes inside the memory, the
depth value far from :data:`~wasmem.exec.callstack.DEEP` and from the limit. Larger
arguments (``__rem_pio2_large``, whose body is not checked) run the translated body.

``math.sin`` is not a replacement: it is the host's C library, which rounds differently
from musl's on about 2.5% of arguments (measured against wasmtime: bench/codegen.md).

``fmod`` (musl's bit-by-bit loop, a leaf that touches no memory) is different: its result
``x - n*y`` is always a double, which C's ``fmod`` returns exactly, so for a finite ``x``
and a finite nonzero ``y`` the host's ``math.fmod`` gives the same bits (signed zeros
included); NaNs, infinities and a zero ``y`` run the translated body (their NaNs' bits
are musl's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...syntax.types import F64, I32, I64, FuncType
from ..callstack import DEEP, HELD, MAX_CALL_DEPTH

if TYPE_CHECKING:
    from .context import ModuleContext

__all__ = ["KNOWN_LIBM", "entry_lines", "known_libm", "musl_trig"]

_TEXTS: dict[str, bytes] = {
    "fmod": bytes.fromhex(
        "78dabd55498ee3300cfc8a6fad003e48458a943e31bf98c35cbaff7f6b6db6654b4e3268a091208e6817"
        "97228b361fff843fd6e57a215c4e8f05e6cfd7e7dff5b198257dcf278271e97fbbc4601e8b23630f930b"
        "31d9880dd241a4dad2b1d8281d823d616c8fe18af12820c90f8aa65ff10696355b13b23cead7deacae3a"
        "cdd1f2a739de72125490eb6dd991f3a602862a7992be5478a942862a24d4626ab03d811e94b384f671d3"
        "1dbc5b34997c78d11dbfee79250725072ac6db0a71ed5032665ca0aec45998e49f11398a2296b056cc1e"
        "ae953c9b806c0bcca2cc56496df4de89cba0e08f90db67cbd46fddaba10a8b5a53e41a36fb76e867a095"
        "c8de928f5190a371cd95722fc67b52eee170380ec740a4ce28d719e598512e6f52aecf28d763d86653fb"
        "df94e344b9de518e8172fc8c72ac377af447262a772c0d285af7a41cfc73be9b546903f5cfe1b9da7b39"
        "8f53bf7b7c221a3e15c8e79e347353d6949edf2e14af799f4f4138bf32a866229739fac1ba01bcd31843"
        "5aa5c183438ec92791d0dd6adf19e9147d5d43622240a4b0d93fabfa60c33eddcdc51b3bba894b3134a6"
        "6915e0b4fdd906b8e01c4a0fc0e658814589c78ba3ce4c93910cba94173b540e6087686c55bf2ee6121f"
        "df77358224"
    ),
    "sin": bytes.fromhex(
        "78daa552496ec3300cfc8a6ea1011dc44594f389fca1087c2810b4ffbf75b4248e1b076950d8b04c7238"
        "332248874f95430ced9882664a710a9e891d27a742481a3102f556133a7d7f2df8a180771ba93408cf47"
        "b4b9934a8dd088af572a100b5bb159dd4aadb1760119aaa98898f231232eb9f669a304f30d62d93449a9"
        "71d10ee10e69dee7eb159a15a7f3c7e5b22ca877269686aecf83f921018b6e9ad34622ad12d76b3ad36b"
        "dabf472b3b6f9dc392de86c54680058e41a618b44b8e1e530003aae9576a6ea93abd6733d1f80ed32e85"
        "c4ff99e16cbbf37cdbd286e88e615debba91639fc7d4a71f63fa92f5"
    ),
    "cos": bytes.fromhex(
        "78daa5924b6ac4300c86afe25d14f0422fcb9e4bcc1d4a49a130b4f7df55b23d93c9b4d017095164499f"
        "7e0bc1f22abce474352fa6cb9aa400e635590132b78415fc5081dc11eb3186f3fbdbe63f90fc3d7ac23d"
        "85dac9cbcc40383c2ff4af05cac14c5ab589698d18c968c0b32b5666153a15f76b893a198a1aa861a5c6"
        "4aad212255c516aa04240cef08d54686126555068246ca24758d06cf4f97cbb6dd10c43d2d9e4fb79a6c"
        "d76e2ac545deb171675fef6f04df637feeed743a2a7749729b2229785aa29c78cd4946cb59a3a1257914"
        "1f8e5a3ffa7218927f8388c91fc551d1c31438ff51d22388fe296c92ee10fbbec7aace459739820fd5e0"
        "9951"
    ),
    "__sin": bytes.fromhex(
        "78da6d91498e83400c45afc22e4662e179b8446e912cbbefbf6b33042aa8052a83fd79c6dff078bb3e96"
        "690cf3240cb89c819ca15f1464cf0d612f1d823de509aa8e8c95862ec6aac57a6abb4c12e4c629252ae2"
        "545eb4d5f1ce1a90c6ad0c26ae14a4c0b41b323459a942512d592c6ec80d125616ea24d9020bca41b49e"
        "22a05f430ef30bac2d199ebf3faf7e80a9ef56f0aa908f5ff6f5f56deca434d534774dede6f9cfd878a5"
        "ac8ff5bab67160e9f0a45df6684ab531aeed222f0349af3ffaac89c64e7b738253b53954d6b046468997"
        "638c5bc61332ff01b1f06842"
    ),
    "__cos": bytes.fromhex(
        "78da7d914b8ec4300844af925d3b921714e0022e34f73fc2b8d39fb8d3a3d918230aea21daed877eebdb"
        "1af68dd99c124875648a08c225fbbe99363903a86d26deb4bf7a94918942289d055d5576247824deffb7"
        "f153ac6ba71e667f86fbb861510e23c834932cbe09661916198eaa28550bcfcac768698bca47cefe4195"
        "61596348fa45f4e9fbb1e09bf65b770090f4e93b2049960efa0ae81e0145864cd4a296e737df2c992242"
        "6a7e30979ca017d505f67933f4b38e45757ff75f52b56056"
    ),
    "__rem_pio2": bytes.fromhex(
        "78dacd584b6ee4380cbd4aede20059881f91e225fa0e83411a68a03173ffdd3c49aeb2fcab4ac79b4155"
        "e2d81649f1917ca432bdfd127efbb8bdfd326d97f9ae5f7ef687ebcbf0eefd26794a1fef37cb93165c29"
        "f984873a316ec4da3b9e7efcfbcf27fe986ef87efd4eb8895389ae52aa1d9ba4aa26e8c66f9bad69df02"
        "93ba1631f5ba84a4bfccfd25b6a69e99b8ca7baee2d20cc08ede9768c99e1fc27894a364ae963d7509da"
        "7904f9c5840443c5d6c44e60f6a5be2bb2da0af54b03b54c24458438a710f720870bcd7d4bddb7c73273"
        "374912580054b0091a97196eb2c3ea2de1bbb5838bb5d534bdd6d6d594a6a6ba5ce5a501481d87fad9f9"
        "a196c2b3a46cc1aa89ccf4c00dd5ac9c11c0646491445dbeefc533651b279443c39c23afbcd1d99b4bd1"
        "73e362219a2cab8795e3e8152691084f1149c3dd2f45ef5cdbc6713ef4f7207a0428cdb2e58c1c64e83a"
        "8e5e71a3b08410332ac1e252f44e959d454f57dec859f49662cd39b410bd2ad641800acac2f60432700c"
        "f0a6c68577c6e08b04a0b0282e92238743bb9da4906a010eb00dfe338d742d854eb56dd097af12008a30"
        "f063aec4a096c34a502c2362708409794ac8e42b2974aeec2c85e4ac20861c9052e2754bf89300a35c19"
        "b6138a968a1e52630d89210d72dda62927bec28d4fb56db1f93247a060136882d0a8944116c70116bc42"
        "e1157416c56dbe14e053656701e6438e18031cd8bb704bf87b91d3a1d3abee2681165d52ad1b906e9f21"
        "8ce77d1615438c03698302a8a5f5d8670d067a036a43b028a1c56ba5da2d28cf46019e86c5bee0f4a407"
        "725f5c1e68ce11da603f63c2adf8a9f475b1b8de47336479dece644d6a18c3fa5c58f1adcfbcd997a6ff"
        "c504d890c83203e98a69445372c6a086a42d358ed13611ab1a6b62ad3e9760dfa3380e8a654987d35eb1"
        "abdc27182328299511e334624c692dcae182c12027b46a57903c2da20f3b34a8e041df43ebd330ee5cba"
        "16bfdceaa2ac092d75147d8df302d833b76b4b153b456c83358805337a14b4448c5668c67904ec6ec7af"
        "00b6deba7f6c94e066111f5966f0fc6c8240da990adc6ee783d3aeb0b6775899c3ea0dd3a58fa39c7f51"
        "6573b3d29c306584a11b3806c79efcd453042781e486f35342abaa3d905ad0a4b14f0c3bfd46b5a6ef55"
        "2b247939bf51916d13c116f7257078c8dcb516a7cc564ac2f1cf2ab513ef52f4ffe327eb3d2ff849b77c"
        "ed52d78603f6175183d67a095fbc5c0e15b163039e5b6cdb56b24e28ad9848174cd61ae488beb647b6ae"
        "ec2ed16152190a667bd0bf4b97324aebaaa96f3dbb7f0e1d59a0dff7cc873de3c69e0f89d9151ae1e80d"
        "60fafbafdfbf3f3fc75df1b14f67a58c39125989a3762de5c0b1cda8eeace433d2a1acd319cd2cb667aa"
        "1bd6ae89674ed1fe5fa05d8e1f11d72b5ba39535fc3a04cf46f3efff017579710f"
    ),
}
"""The zlib-compressed text (:func:`.known_copies.body_text`) of each known body, as in
libc.a of wasi-libc git 20220510.9886d3d (Debian/Ubuntu's wasi-libc package), clang -O2."""

KNOWN_LIBM: dict[str, tuple[int, tuple[str, ...] | None, FuncType]] = {
    # name: (instruction count, the known bodies its calls reach in order (None: its
    # calls are not checked: __rem_pio2's one call is on the path the fast path leaves
    # to the body), signature)
    "sin": (84, ("__sin", "__rem_pio2", "__sin", "__cos", "__sin", "__cos"),
            FuncType((F64,), (F64,))),
    "cos": (85, ("__cos", "__rem_pio2", "__cos", "__sin", "__cos", "__sin"),
            FuncType((F64,), (F64,))),
    "__sin": (59, (), FuncType((F64, F64, I32), (F64,))),
    "__cos": (51, (), FuncType((F64, F64), (F64,))),
    "__rem_pio2": (502, None, FuncType((F64, I32), (I32,))),
    "fmod": (248, (), FuncType((F64, F64), (F64,))),
}
"""What each known body is and calls."""


def _is(ctx: ModuleContext, index: int, name: str) -> bool:
    """Whether defined function ``index`` of ``ctx``'s module is the known ``name``
    (and, for ``sin`` and ``cos``, calls the known bodies in their places)."""
    from .frames import count_instructions
    from .known_copies import body_text
    if index < ctx.imported_functions:
        return False
    count, callees, signature = KNOWN_LIBM[name]
    function = ctx.module.functions[index - ctx.imported_functions]
    if ctx.function_types[index] != signature or count_instructions(function.body) != count:
        return False
    import zlib  # (not at import: only for a function of a known body's size)
    calls: list[int] = []
    if zlib.decompress(_TEXTS[name]) != body_text(function, calls):
        return False
    if callees is None:
        return True
    return len(calls) == len(callees) and all(
        _is(ctx, call, callee) for call, callee in dict(zip(calls, callees)).items()) \
        and len(set(zip(calls, callees))) == len(set(calls))


def known_libm(ctx: ModuleContext, index: int) -> str | None:
    """``"sin"``, ``"cos"`` or ``"fmod"`` when defined function ``index`` (function
    index space) of ``ctx``'s module is musl's (``sin`` and ``cos`` over memory 0 with
    the stack pointer in global 0: what their text reads and writes), else None."""
    function = ctx.module.functions[index - ctx.imported_functions]
    for name, locals_ in _LOCALS.items():
        if function.locals == locals_ and (ctx.memories or name == "fmod") \
                and _is(ctx, index, name):
            return name
    return None


_LOCALS = {"sin": (I32, I32), "cos": (I32, I32, F64), "fmod": (I64, I64, I64, I32, I64, I32)}
"""The declared locals of the known ``sin``, ``cos`` and ``fmod`` (a first cheap test)."""

_LOCALS_KIND = {"sin": 0, "cos": 1}
"""The ``kind`` argument of :func:`musl_trig` for each."""


def entry_lines(kind: str, stack_pointer: str) -> list[str]:
    """The fast path at the entry of a known ``kind``: ``"fmod"`` (``math.fmod`` of a
    finite ``x`` and a finite nonzero ``y``), or ``"sin"`` or ``"cos"``, whose
    stack pointer reads as ``stack_pointer``, placed after the call-depth prologue of a
    frame of weight 1 (``_d`` is then below ``DEEP``, or held: ``DEEP + HELD`` up to
    ``MAX_CALL_DEPTH + HELD``, see :mod:`.depth`): taken where its callees, passed
    ``_d + 1``, would stay shallow or held below the limit (no ``n_held``, no trap).

    Raises:
        ValueError: ``kind`` is not ``"sin"``, ``"cos"`` or ``"fmod"``.
    """
    if kind == "fmod":
        return ["    if l0 - l0 == 0.0 and l1 - l1 == 0.0 and l1:",
                "        return n_fmod(l0, l1)"]
    if kind not in _LOCALS_KIND:
        raise ValueError(f"no fast path for {kind!r}")
    sp, held = stack_pointer, DEEP + HELD
    return [f"    if (_d < {DEEP - 1} or {held} <= _d < {MAX_CALL_DEPTH + HELD})"
            f" and not {sp} & 7 and 16 <= {sp} <= len(M0)"
            f" and (_t := n_musl_trig(l0, VF64_0, ({sp} - 16) >> 3, {_LOCALS_KIND[kind]}))"
            " is not None:",
            "        return _t"]


_SCRATCH = bytearray(8)
_SD = memoryview(_SCRATCH).cast("d")
_SQ = memoryview(_SCRATCH).cast("Q")
# (a store and the load back are on one line, without a call between them: as the
# translated code's scratch views, and only where .numeric_inline.SCRATCH_EXACT holds, with
# a GIL: elsewhere the translator leaves sin and cos to their bodies)


def musl_trig(x: float, view: Any, at: int, kind: int) -> float | None:
    """musl's ``sin(x)`` (``kind`` 0) or ``cos(x)`` (``kind`` 1), the operations of
    ``sin``/``cos``, ``__rem_pio2``, ``__sin`` and ``__cos`` in their order, in one
    Python call: writes the reduced argument at items ``at`` and ``at + 1`` of ``view``
    where ``__rem_pio2`` writes it; None (nothing written) for ``|x|`` from 2**20 * pi/2
    on (``__rem_pio2_large``: the translated body runs).

    Raises:
        IndexError: ``at + 1`` past ``view`` (the caller tests the bounds first).
    """
    _SD[0] = x; u = _SQ[0]  # noqa: E702 (one line: see _SD)
    ix = (u >> 32) & 0x7FFFFFFF
    if ix <= 0x3FE921FB:  # |x| ~<= pi/4: no reduction, nothing written
        if kind:
            if ix < 0x3E46A09E:
                return 1.0
            y0, y1, q = x, 0.0, 1
        else:
            if ix < 0x3E500000:
                return x
            z = x * x  # __sin(x, 0.0, 0)
            r = (((z * (z * z)) * ((z * 1.58969099521155e-10) + (-2.5050760253406863e-08)))
                 + ((z * ((z * 2.7557313707070068e-06) + (-0.0001984126982985795)))
                    + 0.00833333333332249))
            return ((z * x) * ((z * r) + (-0.16666666666666632))) + x
    elif ix >= 0x7FF00000:  # inf or NaN
        return x - x
    else:
        y0 = y1 = a = b = 0.0
        n = -1  # (__rem_pio2: n and y, or the medium path)
        if ix <= 0x400F6A7A:  # |x| ~<= 5pi/4
            if (ix & 0xFFFFF) != 0x921FB:  # (else: cancellation, the medium path)
                if ix <= 0x4002D97C:  # |x| ~<= 3pi/4
                    if u < 0x8000000000000000:
                        a, b, n = -1.5707963267341256, -6.077100506506192e-11, 1
                    else:
                        a, b, n = 1.5707963267341256, 6.077100506506192e-11, 3
                elif u < 0x8000000000000000:
                    a, b, n = -3.1415926534682512, -1.2154201013012384e-10, 2
                else:
                    a, b, n = 3.1415926534682512, 1.2154201013012384e-10, 2
        elif ix <= 0x401C463B:  # |x| ~<= 9pi/4
            if ix <= 0x4015FDBC:  # |x| ~<= 7pi/4
                if ix != 0x4012D97C:  # (|x| ~= 3pi/2: the medium path)
                    if u < 0x8000000000000000:
                        a, b, n = -4.712388980202377, -1.8231301519518578e-10, 3
                    else:
                        a, b, n = 4.712388980202377, 1.8231301519518578e-10, 1
            elif ix != 0x401921FB:  # (|x| ~= 2pi: the medium path)
                if u < 0x8000000000000000:
                    a, b, n = -6.2831853069365025, -2.430840202602477e-10, 0
                else:
                    a, b, n = 6.2831853069365025, 2.430840202602477e-10, 0
        elif ix > 0x413921FA:  # |x| ~>= 2**20 * pi/2: __rem_pio2_large
            return None
        if n >= 0:  # (the small cases: x less n times pi/2 as a + b, in two parts)
            z = x + a
            y0 = z + b
            y1 = (z - y0) + b
        else:
            # the medium path: x less round(x / (pi/2)) times pi/2 in two or three parts
            fn = ((x * 0.6366197723675814) + 6755399441055744.0) + (-6755399441055744.0)
            r = x + (fn * (-1.5707963267341256))
            w = fn * 6.077100506506192e-11
            y0 = r - w
            ex = ix >> 20
            _SD[0] = y0; ey = (_SQ[0] >> 52) & 0x7FF  # noqa: E702
            if ex - ey > 16:
                t = r
                w = fn * 6.077100506303966e-11
                r = t - w
                w = (fn * 2.0222662487959506e-21) - ((t - r) - w)
                y0 = r - w
                _SD[0] = y0; ey = (_SQ[0] >> 52) & 0x7FF  # noqa: E702
                if ex - ey > 49:
                    t = r
                    w = fn * 2.0222662487111665e-21
                    r = t - w
                    w = (fn * 8.4784276603689e-32) - ((t - r) - w)
                    y0 = r - w
            y1, n = (r - y0) - w, int(fn) & 3
        view[at] = y0
        view[at + 1] = y1
        q = (n + kind) & 3  # cos is sin a quarter turn on
    z = y0 * y0
    if q & 1:  # __cos(y0, y1)
        hz = z * 0.5
        w = 1.0 - hz
        t = (1.0 - w) - hz
        zz = z * z
        r = w + (t + ((z * ((z * ((z * ((z * 2.480158728947673e-05)
                                          + (-0.001388888888887411))) + 0.0416666666666666))
                            + ((zz * zz) * ((z * ((z * (-1.1359647557788195e-11))
                                                  + 2.087572321298175e-09))
                                            + (-2.7557314351390663e-07)))))
                      - (y0 * y1)))
    else:  # __sin(y0, y1, 1)
        r = (((z * (z * z)) * ((z * 1.58969099521155e-10) + (-2.5050760253406863e-08)))
             + ((z * ((z * 2.7557313707070068e-06) + (-0.0001984126982985795)))
                + 0.00833333333332249))
        v = z * y0
        r = y0 - (((z * ((y1 * 0.5) - (r * v))) - y1) + (v * 0.16666666666666632))
    return -r if q & 2 else r
