"""Markdown building blocks: escaping text from reports, tables with a fixed number of cells."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from aseanwp.textsafe import clean

# Inline markup characters ($ opens GitHub's maths: "US$5 and US$3" would be typeset); '(' '+' '#' and the like
# only matter at the start of a line (handled below).
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$])")
# GitHub links "@name" to a person (and notifies them) and "#123" to an issue, in any text it renders. A word
# joiner (U+2060, invisible, no width) between the sign and the name keeps report text from pinging anyone.
_REFERENCE = re.compile(r"(?<![^\s(\[{\"'])([@#])(?=\w)")
WORD_JOINER = "\u2060"
_LINE_START = re.compile(r"^(\s*)(?:([#+\-=]+)(?=\s|$)|(>)|([0-9]+)([.)])(?=\s|$))")


def esc(text: object) -> str:
    """Escape text (from a report or the plan) for a Markdown paragraph or table cell: no markup, no HTML, one line."""
    return _esc(str(text))


@lru_cache(maxsize=1 << 16)  # a review of 1,000 units escapes 70,000 texts, most of them figures seen before
def _esc(text: str) -> str:
    s = clean(text)
    s = _SPECIAL.sub(r"\\\1", s)
    s = s.replace("&", "&amp;")
    s = _REFERENCE.sub(lambda m: m.group(1) + WORD_JOINER, s)
    # text placed at the start of a line or list item must not open a heading, list or quote
    return _LINE_START.sub(_escape_start, s)


def _escape_start(m: re.Match[str]) -> str:
    if m.group(4):  # "1. " -> "1\. "
        return f"{m.group(1)}{m.group(4)}\\{m.group(5)}"
    return m.group(1) + "\\" + (m.group(2) or m.group(3))


def table(header: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A GitHub table. Cells are taken as already-safe Markdown; every row gets exactly len(header) cells."""
    n = len(header)
    aligns = (align or "l" * n).ljust(n, "l")
    sep = ["---:" if a == "r" else ":---:" if a == "c" else "---" for a in aligns[:n]]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    for row in rows:
        cells = [str(c) if c not in (None, "") else " " for c in row][:n]
        cells += [" "] * (n - len(cells))
        lines.append("| " + " | ".join(c.replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"
