"""What a chunk's key columns allow, worked out once per distinct set of them (the fast path's memory).

A chunk's indicator column, its breakdown columns and its unit column decide most of ``IndicatorFile.accept``:
whether every indicator and breakdown value is known and allowed, whether the units agree, whether a series is
listed twice, which values must be whole numbers, yes/no or rates. The files of a folder list the same rows
(one template), so the 8,000 files of 1,000 reporting units share a handful of these: the answer is kept by the
columns' content in the header layout's tables, and only the values, sources and flags are looked at per chunk.
Large chunks (a file of a million rows) are worked out each time and not kept: they never repeat.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress, count, repeat
from operator import eq, itemgetter, not_
from typing import Any

from aseanwp.checks.layout import FastTables

# The fast path's value tests over a whole column joined by newlines: plain non-negative numbers of at most 15
# digits (longer ones take the careful path), or the not-available markers. Anything else goes row by row.
_NUMBER = r"[0-9]{1,15}(?:\.[0-9]{1,15})?|NA|\.\.|"
_WHOLE = r"[0-9]{1,15}|NA|\.\.|"
NUMBER_LINES = re.compile(rf"(?:{_NUMBER})(?:\n(?:{_NUMBER}))*")
WHOLE_LINES = re.compile(rf"(?:{_WHOLE})(?:\n(?:{_WHOLE}))*")
YES_NO = frozenset({"yes", "no", "NA", "..", ""})
_PATTERNS: dict[str, re.Pattern[str] | None] = {"n": NUMBER_LINES, "c": WHOLE_LINES, "y": None}  # None: YES_NO

KEPT = 256  # rows: chunks up to this size are remembered
LIMIT = 1024  # remembered shapes per header layout, then forgotten (a folder of odd files must not fill memory)

Getter = Callable[[Sequence[str]], Sequence[str]]


def _getter(indexes: list[int], n: int) -> Getter | None:
    """The cells at ``indexes`` of a column of ``n``: None for all of them (the column itself)."""
    if len(indexes) == n:
        return None
    if len(indexes) == 1:
        only = indexes[0]
        return lambda cells: (cells[only],)
    return itemgetter(*indexes)


@dataclass(slots=True)
class Shape:
    """What the key columns of a chunk allow. ``ok`` False: the chunk goes row by row."""

    ok: bool
    inds: frozenset[str] = frozenset()
    hashes: frozenset[int] = frozenset()  # of each row's series (indicator and breakdown values)
    # the value tests: (the rows' values to test, or None for all; NUMBER_LINES, WHOLE_LINES or None for yes/no)
    tests: tuple[tuple[Getter | None, re.Pattern[str] | None], ...] = ()
    rates: Getter | None = None  # the values of percent indicators; None when there are none
    has_rates: bool = False
    # for take: each row's indicator (the plan's own string) and breakdown values, made when first needed
    canon: tuple[str, ...] | None = None
    dims: tuple[tuple[str, ...], ...] | None = None
    dim_cells: dict[int, Sequence[str]] | None = None


BAD = Shape(False)


def shape_of(f: FastTables, ind: Sequence[str], dim_cells: list[Sequence[str]], units: Sequence[str] | None) -> Shape:
    """The shape of a chunk from its indicator column, its breakdown columns (in ``f.dims`` order) and its unit
    column (None when the file has none); remembered for small chunks."""
    n = len(ind)
    key: Any = None
    if n <= KEPT:
        key = (tuple(ind), *map(tuple, dim_cells), None if units is None else tuple(units))
        hit: Shape | None = f.shapes.get(key)
        if hit is not None:
            return hit
    shape = _work_out(f, ind, dim_cells, units)
    if key is not None:
        if len(f.shapes) >= LIMIT:
            f.shapes.clear()
        f.shapes[key] = shape
    return shape


def _work_out(f: FastTables, ind: Sequence[str], dim_cells: list[Sequence[str]], units: Sequence[str] | None) -> Shape:
    inds = frozenset(ind)
    if not inds <= f.ids:
        return BAD
    for (_, allowed, takes), cells in zip(f.dims, dim_cells, strict=True):
        if not allowed.issuperset(cells):  # (no set of the cells made: 2,048 of 50,000 districts, say)
            return BAD
        if not all(takes[i] for i in inds) and set(compress(cells, map(not_, map(takes.__getitem__, ind)))) - {""}:
            return BAD
    if units is not None:
        given = set(units) - {""}
        if (
            given
            and not (len(given) == 1 and {f.unit[i] for i in inds} == given)
            and not set(zip(ind, units, strict=True)) <= f.unit_pairs
        ):
            return BAD
    hashes = frozenset(map(hash, zip(ind, *dim_cells, strict=True)))
    if len(hashes) != len(ind):
        return BAD  # a duplicate within the chunk: the row checks will name it
    n = len(ind)
    # the rows of each kind of value, by C-level maps (a chunk of a large file is 2,048 rows, mostly of one kind)
    kinds = {f.tag[i] for i in inds}
    if len(kinds) == 1:
        tests: tuple[tuple[Getter | None, re.Pattern[str] | None], ...] = ((None, _PATTERNS[kinds.pop()]),)
    else:
        tags = list(map(f.tag.__getitem__, ind))
        tests = tuple(
            (_getter(list(compress(count(), map(eq, tags, repeat(kind)))), n), _PATTERNS[kind])
            for kind in ("n", "c", "y")
            if kind in kinds
        )
    rated = inds & f.percent
    rates = None
    if rated and rated != inds:
        rates = _getter(list(compress(count(), map(f.percent.__contains__, ind))), n)
    return Shape(True, inds, hashes, tests, rates, bool(rated), dim_cells=dict(zip(f.dim_all, dim_cells, strict=True)))


def _plain_digits(cells: Sequence[str]) -> bool:
    """Every cell 1 to 15 ASCII digits (whole numbers, as most counts are), tested at C speed without the
    regular expression, which walks the joined column character by character."""
    joined = "".join(cells)
    return joined.isascii() and joined.isdigit() and min(map(len, cells)) > 0 and max(map(len, cells)) <= 15


def values_pass(shape: Shape, vals: Sequence[str]) -> bool:
    """Whether every value has the plain form its indicator takes (and no rate is over 100)."""
    for getter, pattern in shape.tests:
        cells = vals if getter is None else getter(vals)
        if pattern is None:
            if not set(cells) <= YES_NO:
                return False
            continue
        if _plain_digits(cells):
            continue  # every value plain ASCII digits, 1 to 15 of them: what both patterns take first
        joined = "\n".join(cells)
        if joined.count("\n") != len(cells) - 1 or not pattern.fullmatch(joined):
            return False  # a line break inside a cell would pass the line-wise test
    if shape.has_rates:
        cells = vals if shape.rates is None else shape.rates(vals)
        rates = [v for v in cells if v[:1].isdigit()]
        if rates and max(map(float, rates)) > 100:
            return False
    return True


def rows_of(shape: Shape, f: FastTables, specs: dict[str, Any], ind: Sequence[str]) -> None:
    """Fill in the shape's indicators and breakdown values per row, for ``take``."""
    cells = shape.dim_cells or {}
    shape.canon = tuple(map(f.canonical.__getitem__, ind))
    shape.dims = tuple(
        () if i in f.no_dims else tuple(cells[c][k] if c >= 0 else "" for c in specs[i].dim_cols)
        for k, i in enumerate(shape.canon)
    )
