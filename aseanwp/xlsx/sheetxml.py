"""A worksheet's XML as a stream of rows of raw cells, within caps. Standard library only.

The sheet is parsed with expat directly, with the guards defusedxml installs (no entity declarations, no
external entities) made stricter: any document type declaration is refused. ElementTree under defusedxml
builds each element in Python, at about 3.5 microseconds an element: a sheet of two million elements took
3.7 seconds; here no tree is built, and the caps (rows, elements, text in a cell) hold time and memory to
what a Country Report could need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import IO, NamedTuple
from xml.parsers import expat

MAX_ROWS = 10_000  # a Country Report has one row per indicator and breakdown: a few hundred at most
MAX_COLUMNS = 256  # cells further right are not read
MAX_ELEMENTS = 500_000  # XML elements in one sheet, however spread; 10,000 rows of the template hold about 160,000
MAX_TEXT = 32_767  # characters in a cell: Excel's own limit
CHUNK = 64 * 1024


class Raw(NamedTuple):
    """A cell as stored: its type (``t``), style index, value text (None without ``<v>``), formula text."""

    type: str
    style: int
    value: str | None
    formula: str | None


class Unsafe(Exception):
    """The XML declares a document type or entities."""


class Damaged(Exception):
    """The XML is not well-formed."""


ROWS_HINT = (
    f"a Country Report has one row per indicator and breakdown; delete what lies below the table (at most "
    f"{MAX_ROWS:,} rows are read)"
)


class TooLarge(Exception):
    """A cap was reached; ``row`` is where (None: the sheet as a whole)."""

    def __init__(self, row: int | None, message: str, hint: str = ROWS_HINT) -> None:
        super().__init__(message)
        self.row, self.hint = row, hint


_LETTERS = re.compile(r"[A-Z]{1,3}")


@lru_cache(maxsize=1024)
def _letters_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_number(ref: str | None) -> int:
    """The column of a cell reference (``AB12`` -> 28); 0 when there is none."""
    m = _LETTERS.match(ref or "")
    return _letters_number(m.group()) if m else 0


def letter(column: int | None) -> str:
    """The letters of a column (28 -> ``AB``)."""
    out = ""
    n = column or 0
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def rows(src: IO[bytes]) -> Iterator[tuple[int, dict[int, Raw]]]:
    """``(row number, {column: Raw})`` for each ``<row>`` of a sheet, up to the row cap.

    Raises Unsafe, Damaged or TooLarge. Rows past the cap without any value or formula (formatting that runs
    to the bottom of the sheet) are passed over."""
    parser = _Parser()
    while not parser.done:
        chunk = src.read(CHUNK)
        try:
            parser.expat.Parse(chunk, not chunk)
        except expat.ExpatError as exc:
            raise Damaged(str(exc)) from None
        yield from parser.ready
        parser.ready.clear()
        if not chunk:
            break


def _refuse(*args: object) -> int:
    raise Unsafe("the XML declares a document type or entities")


class _Parser:
    """expat callbacks building one row at a time."""

    def __init__(self) -> None:
        p = expat.ParserCreate(namespace_separator="}")
        p.buffer_text = True
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.text
        # what defusedxml refuses (entity declarations, external entities), and every document type besides
        p.StartDoctypeDeclHandler = _refuse
        p.EntityDeclHandler = _refuse
        p.UnparsedEntityDeclHandler = _refuse
        p.ExternalEntityRefHandler = _refuse
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.expat = p
        self.names: dict[str, str] = {}
        self.ready: list[tuple[int, dict[int, Raw]]] = []
        self.done = False
        self.elements = 0
        self.number = self.column = 0
        self.cells: dict[int, Raw] = {}
        # the cell being read
        self.kind, self.style = "n", 0
        self.value: str | None = None
        self.formula: str | None = None
        self.inline: list[str] | None = None
        self.text_to: str | None = None  # "v", "f" or "t": where character data goes
        self.buffer: list[str] = []
        self.size = 0
        self.phonetic = False

    def local(self, name: str) -> str:
        """An element's name without its namespace (``...spreadsheetml/2006/main}c`` -> ``c``), remembered."""
        tag = self.names.get(name)
        if tag is None:
            tag = self.names[name] = name.rpartition("}")[2]
        return tag

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise TooLarge(None, f"the sheet holds over {MAX_ELEMENTS:,} XML elements: far more than a Country Report")
        tag = self.names.get(name) or self.local(name)
        if tag == "c":
            self.column = column_number(attrs.get("r")) or self.column + 1
            self.kind = attrs.get("t") or "n"
            s = attrs.get("s") or "0"
            self.style = int(s) if s.isdigit() else 0
            self.value = self.formula = None
            self.inline = None
        elif tag in ("v", "f") or (tag == "t" and self.inline is not None and not self.phonetic):
            self.text_to, self.buffer, self.size = tag, [], 0
        elif tag == "row":
            r = attrs.get("r")
            self.number = int(r) if r and r.isdigit() else self.number + 1
            self.column, self.cells = 0, {}
        elif tag == "is":
            self.inline = []
        elif tag == "rPh":  # a phonetic reading (kana) repeats the text: not part of it
            self.phonetic = True

    def text(self, data: str) -> None:
        if self.text_to is not None:
            self.size += len(data)
            if self.size > MAX_TEXT:
                raise TooLarge(
                    self.number,
                    f"a cell of row {self.number:,} holds over {MAX_TEXT:,} characters, more than a cell can",
                    "look for text pasted by mistake; the workbook was not saved by a spreadsheet program",
                )
            self.buffer.append(data)

    def end(self, name: str) -> None:
        tag = self.names.get(name) or self.local(name)
        if tag == self.text_to:
            text = "".join(self.buffer)
            if tag == "v":
                self.value = text
            elif tag == "f":
                self.formula = text
            elif self.inline is not None:
                self.inline.append(text)
            self.text_to = None
        elif tag == "c":
            if self.column <= MAX_COLUMNS:
                if self.inline is not None:
                    self.cells[self.column] = Raw("inlineStr", self.style, "".join(self.inline), self.formula)
                else:
                    self.cells[self.column] = Raw(self.kind, self.style, self.value, self.formula)
        elif tag == "row":
            if self.number <= MAX_ROWS:
                self.ready.append((self.number, self.cells))
            elif any(c.value or c.formula is not None for c in self.cells.values()):
                raise TooLarge(self.number, f"the sheet goes on past row {MAX_ROWS:,} (row {self.number:,} has cells)")
        elif tag == "rPh":
            self.phonetic = False
        elif tag == "sheetData":
            self.done = True  # what follows (merged cells, validations, page setup) is not needed
