"""Hypothesis strategies for module ASTs that the binary format can represent."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from wasmem.binary import layout as L
from wasmem.syntax import (
    AbsHeapType,
    ActiveData,
    ActiveElement,
    Block,
    Catch,
    CustomSection,
    DataSegment,
    DeclarativeElement,
    ElementSegment,
    Export,
    ExternKind,
    Function,
    FuncType,
    Global,
    GlobalType,
    Import,
    Instruction,
    Limits,
    Memory,
    MemoryType,
    Module,
    Names,
    NumType,
    PassiveData,
    PassiveElement,
    RefType,
    Table,
    TableType,
    Tag,
    VecType,
)
from wasmem.syntax.opcodes import OPCODES, Op

U32 = st.integers(0, 2**32 - 1)
SMALL_INDEX = st.integers(0, 300)
INDEX = st.one_of(SMALL_INDEX, U32)
U64 = st.integers(0, 2**64 - 1)

heap_types = st.one_of(st.sampled_from(list(AbsHeapType)), INDEX)
ref_types = st.builds(RefType, st.booleans(), heap_types)
value_types = st.one_of(st.sampled_from([*NumType, VecType.V128]), ref_types)
block_types = st.one_of(st.none(), value_types, INDEX)
limits = st.builds(Limits, U64, st.one_of(st.none(), U64))
table_types = st.builds(TableType, limits, ref_types, st.sampled_from([NumType.I32, NumType.I64]))
memory_types = st.builds(MemoryType, limits, st.sampled_from([NumType.I32, NumType.I64]))
global_types = st.builds(GlobalType, value_types, st.booleans())
names_text = st.text(max_size=8)

_PLAIN_KEYS = sorted(key for key, info in OPCODES.items()
                     if L.LAYOUT_BY_KEY[key] not in (L.BLOCK, L.TRY_TABLE))
_STRUCTURED_KEYS = [Op.BLOCK, Op.LOOP, Op.IF, Op.TRY_TABLE]

catches = st.one_of(
    st.builds(Catch, st.sampled_from([0, 1]), INDEX, INDEX),
    st.builds(Catch, st.sampled_from([2, 3]), st.none(), INDEX),
)


def immediates_for(key: int) -> st.SearchStrategy[tuple[Any, ...]]:
    """Immediates of the right shape for the opcode ``key`` (not structured ones)."""
    layout = L.LAYOUT_BY_KEY[key]
    if layout == L.NONE:
        return st.just(())
    if layout in (L.INDEX, L.DATA_INDEX):
        return st.tuples(INDEX)
    if layout in (L.INDEX2, L.DATA_INDEX2):
        return st.tuples(INDEX, INDEX)
    if layout == L.I32 or layout == L.F32:
        return st.tuples(U32)
    if layout == L.I64 or layout == L.F64:
        return st.tuples(U64)
    if layout == L.MEMARG:
        return st.tuples(st.integers(0, 63), U64, INDEX)
    if layout == L.BR_TABLE:
        return st.tuples(st.lists(INDEX, max_size=4).map(tuple), INDEX)
    if layout == L.HEAP_TYPE:
        return st.tuples(heap_types)
    if layout == L.SELECT_T:
        return st.tuples(st.lists(value_types, max_size=3).map(tuple))
    if layout == L.V128:
        return st.tuples(st.integers(0, 2**128 - 1))
    if layout == L.LANE:
        return st.tuples(st.integers(0, 255))
    if layout == L.SHUFFLE:
        return st.tuples(st.lists(st.integers(0, 255), min_size=16, max_size=16).map(tuple))
    if layout == L.MEMARG_LANE:
        return st.tuples(st.integers(0, 63), U64, INDEX, st.integers(0, 255))
    if layout in (L.REF_TYPE, L.REF_TYPE_NULL):
        return st.tuples(st.builds(RefType, st.just(layout == L.REF_TYPE_NULL), heap_types))
    if layout == L.BR_ON_CAST:
        return st.tuples(INDEX, ref_types, ref_types)
    raise AssertionError(f"no strategy for layout {layout}")


def example_immediates(key: int, big: bool) -> tuple[Any, ...]:
    """Fixed immediates for ``key``: small values, or the largest of each field (``big``)."""
    layout = L.LAYOUT_BY_KEY[key]
    index = 2**32 - 1 if big else 1
    heap_type: Any = index if big else AbsHeapType.EXTERN
    ref_type = RefType(big, heap_type)
    examples: dict[int, tuple[Any, ...]] = {
        L.NONE: (),
        L.INDEX: (index,),
        L.DATA_INDEX: (index,),
        L.INDEX2: (index, 0),
        L.DATA_INDEX2: (index, 3),
        L.I32: (2**32 - 1 if big else 5,),
        L.F32: (0x7FC0_0001 if big else 0,),
        L.I64: (2**63 if big else 7,),
        L.F64: (0xFFF8_0000_0000_0001 if big else 1,),
        L.MEMARG: (63, 2**64 - 1, index) if big else (2, 16, 0),
        L.BR_TABLE: ((index, 0, 3), index) if big else ((), 0),
        L.HEAP_TYPE: (heap_type,),
        L.SELECT_T: ((ref_type, VecType.V128),) if big else ((NumType.F64,),),
        L.V128: (2**128 - 1 if big else 1,),
        L.LANE: (255 if big else 3,),
        L.SHUFFLE: (tuple(range(240, 256)) if big else tuple(range(16)),),
        L.MEMARG_LANE: (63, 2**64 - 1, index, 255) if big else (0, 0, 0, 1),
        L.REF_TYPE: (RefType(False, heap_type),),
        L.REF_TYPE_NULL: (RefType(True, heap_type),),
        L.BR_ON_CAST: (index, ref_type, RefType(not big, AbsHeapType.I31)),
    }
    return examples[layout]


@st.composite
def plain_instructions(draw: st.DrawFn) -> Instruction:
    """Any non-structured instruction of the opcode table with random immediates."""
    key = draw(st.sampled_from(_PLAIN_KEYS))
    return Instruction(key, draw(immediates_for(key)))


def _structured(children: st.SearchStrategy[tuple[Instruction, ...]]) -> st.SearchStrategy[Block]:
    @st.composite
    def build(draw: st.DrawFn) -> Block:
        key = draw(st.sampled_from(_STRUCTURED_KEYS))
        block_type = draw(block_types)
        immediates: tuple[Any, ...] = (block_type,)
        if key == Op.TRY_TABLE:
            immediates = (block_type, tuple(draw(st.lists(catches, max_size=3))))
        else_body = draw(children) if key == Op.IF else ()
        return Block(key, immediates, body=draw(children), else_body=else_body)
    return build()


instruction_sequences: st.SearchStrategy[tuple[Instruction, ...]] = st.recursive(
    st.lists(plain_instructions(), max_size=6).map(tuple),
    lambda children: st.lists(st.one_of(plain_instructions(), _structured(children)),
                              max_size=5).map(tuple),
    max_leaves=25,
)
constant_expressions = st.lists(plain_instructions(), max_size=3).map(tuple)


def _func_ref_inits(draw: st.DrawFn) -> tuple[tuple[Instruction, ...], ...]:
    indices = draw(st.lists(INDEX, max_size=4))
    return tuple((Instruction(Op.REF_FUNC, (index,)),) for index in indices)


@st.composite
def element_segments(draw: st.DrawFn) -> ElementSegment:
    """Element segments of every mode, with function-index and expression contents."""
    mode = draw(st.one_of(
        st.builds(ActiveElement, INDEX, constant_expressions),
        st.just(PassiveElement()),
        st.just(DeclarativeElement()),
    ))
    element_type = draw(st.one_of(st.just(RefType(False, AbsHeapType.FUNC)), ref_types))
    if draw(st.booleans()):
        inits = _func_ref_inits(draw)
    else:
        inits = tuple(draw(st.lists(constant_expressions, max_size=3)))
    return ElementSegment(element_type, inits, mode)


data_segments = st.builds(
    DataSegment,
    st.binary(max_size=16),
    st.one_of(st.builds(ActiveData, INDEX, constant_expressions), st.just(PassiveData())),
)


@st.composite
def imports(draw: st.DrawFn) -> Import:
    """An import of any kind."""
    kind = draw(st.sampled_from(list(ExternKind)))
    desc: Any
    if kind in (ExternKind.FUNC, ExternKind.TAG):
        desc = draw(INDEX)
    elif kind == ExternKind.TABLE:
        desc = draw(table_types)
    elif kind == ExternKind.MEMORY:
        desc = draw(memory_types)
    else:
        desc = draw(global_types)
    return Import(draw(names_text), draw(names_text), kind, desc)


name_maps = st.dictionaries(INDEX, names_text, max_size=3)
names = st.builds(
    Names,
    module=st.one_of(st.none(), names_text),
    functions=name_maps,
    locals=st.dictionaries(INDEX, name_maps, max_size=2),
    types=name_maps,
    tables=name_maps,
    memories=name_maps,
    globals=name_maps,
    elems=name_maps,
    datas=name_maps,
    tags=name_maps,
)


@st.composite
def modules(draw: st.DrawFn) -> Module:
    """Modules using every kind of section (custom sections placed at the start)."""
    return Module(
        types=tuple(draw(st.lists(st.builds(
            FuncType, st.lists(value_types, max_size=3).map(tuple),
            st.lists(value_types, max_size=2).map(tuple)), max_size=3))),
        imports=tuple(draw(st.lists(imports(), max_size=3))),
        functions=tuple(draw(st.lists(st.builds(
            Function, INDEX, st.lists(value_types, max_size=4).map(tuple),
            instruction_sequences), max_size=3))),
        tables=tuple(draw(st.lists(st.builds(
            Table, table_types, st.one_of(st.none(), constant_expressions)), max_size=3))),
        memories=tuple(draw(st.lists(st.builds(Memory, memory_types), max_size=3))),
        globals=tuple(draw(st.lists(
            st.builds(Global, global_types, constant_expressions), max_size=3))),
        exports=tuple(draw(st.lists(
            st.builds(Export, names_text, st.sampled_from(list(ExternKind)), INDEX), max_size=3))),
        start=draw(st.one_of(st.none(), INDEX)),
        elements=tuple(draw(st.lists(element_segments(), max_size=3))),
        datas=tuple(draw(st.lists(data_segments, max_size=3))),
        tags=tuple(draw(st.lists(st.builds(Tag, INDEX), max_size=3))),
        customs=tuple(draw(st.lists(st.builds(
            CustomSection, names_text.filter(lambda text: text != "name"),
            st.binary(max_size=8)), max_size=3))),
        names=draw(names),
    )
