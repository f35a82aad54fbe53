"""What a workbook must pass before any XML of it is parsed. Standard library only.

An ``.xlsx`` file is a zip of XML parts, and each layer can be made hostile: a zip directory of millions of
entries, parts that inflate to gigabytes (a zip bomb), XML with entity declarations (billion laughs, external
entities), macros. Everything here is decided from the zip directory and the first bytes of each XML part,
so a hostile file is refused in milliseconds and in a few kilobytes of memory. Python's ``zipfile`` never
inflates a part beyond the size its directory entry declares (a part that lies fails its CRC check), so the
sizes checked here bound what the parsers can be made to read.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
import zlib
from typing import BinaryIO

from aseanwp.findings import Finding, finding

MAX_WORKBOOK = 32 * 1024 * 1024  # bytes on disk; a filled Country Report is tens of kilobytes
MAX_ENTRIES = 1000  # parts in the zip; Excel writes about 15 for a workbook of three sheets
MAX_SHEET = 48 * 1024 * 1024  # a worksheet's XML, inflated: read as a stream, and only up to its row cap
MAX_STRINGS = 16 * 1024 * 1024  # the shared strings, inflated: read whole into a list
MAX_PART = 4 * 1024 * 1024  # any other part, inflated: styles and the workbook part become objects whole
MAX_TOTAL = 256 * 1024 * 1024  # every part, inflated
MAX_RATIO = 400  # inflated / compressed, for parts over 1 MiB; spreadsheet XML stays far below this
PROLOGUE = 64 * 1024  # bytes of an XML part searched for a document type declaration

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: .xls, or an .xlsx encrypted with a password
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_STRINGS_PART = re.compile(r"xl/sharedStrings\.xml", re.IGNORECASE)
_MACRO_PART = re.compile(r"vbaproject|vbadata|macrosheets/|/activex/", re.IGNORECASE)
_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.IGNORECASE)
# what may come before the root element: a declaration, processing instructions, comments, white space
_PROLOGUE_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)

SAVE_AS_XLSX = "open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'"


class Refusal(Exception):
    """The workbook cannot be read; ``finding`` says why."""

    def __init__(self, found: Finding) -> None:
        super().__init__(found.message)
        self.finding = found


def check(path: str, file: str) -> None:
    """Raise Refusal when the file at ``path`` is not a workbook that may safely be parsed."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _refuse(file, "unreadable", f"cannot read the file: {exc.strerror}", "check the path") from None
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(file, "unreadable", "not a regular file (a pipe, socket or device)", "give a workbook file")
    if st.st_size == 0:
        raise _refuse(file, "empty-file", "the file is empty (0 bytes)", "save or download the workbook again")
    if st.st_size > MAX_WORKBOOK:
        raise _refuse(
            file,
            "too-large",
            f"the workbook is {st.st_size:,} bytes, over {MAX_WORKBOOK:,}: far larger than a Country Report",
            "remove the sheets, pictures and rows that are not part of the report",
        )
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            if head == OLE_MAGIC:
                _compound_file(fh, file)
            if not head.startswith(b"PK"):
                raise _refuse(file, "unsupported-workbook", *_not_a_zip(head))
            _zip_directory(fh, st.st_size, file)
        _parts(path, file)
    except OSError as exc:
        raise _refuse(file, "unreadable", f"cannot read the file: {exc.strerror}", "check its permissions") from None


def _refuse(file: str, code: str, message: str, hint: str) -> Refusal:
    return Refusal(finding(file, None, code, message, hint))


def _compound_file(fh: BinaryIO, file: str) -> None:
    """An OLE compound file is an old .xls, or an .xlsx that Excel encrypted for a password to open."""
    fh.seek(0)
    data = fh.read(MAX_WORKBOOK)  # the size was checked: at most 32 MiB
    if ENCRYPTED_STREAM in data:
        raise _refuse(
            file,
            "encrypted-workbook",
            "the workbook is protected with a password to open, so it cannot be read",
            "remove the password (File > Info > Protect Workbook > Encrypt with Password, and clear it) and save "
            "it again; protecting sheets is fine",
        )
    raise _refuse(
        file,
        "unsupported-workbook",
        "an Excel 97-2003 workbook (.xls), not an .xlsx workbook",
        SAVE_AS_XLSX,
    )


def _not_a_zip(head: bytes) -> tuple[str, str]:
    if head.lstrip().startswith(b"<"):
        return "not an Excel workbook: the file is a web page or XML saved under a workbook name", SAVE_AS_XLSX
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff") or _looks_like_text(head):
        return (
            "not an Excel workbook: the file is text (a CSV file renamed?)",
            "if it is a CSV report, give it the .csv name; otherwise " + SAVE_AS_XLSX,
        )
    return "not an Excel workbook (.xlsx): the file is not a zip archive", SAVE_AS_XLSX


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def _damaged(file: str, detail: str = "") -> Refusal:
    return _refuse(
        file,
        "unreadable",
        "the workbook is damaged or incomplete" + (f" ({detail})" if detail else "") + ": it is not a whole zip file",
        "download or copy it again; if Excel opens it, save it again under a new name",
    )


def _zip_directory(fh: BinaryIO, size: int, file: str) -> None:
    """Read the zip's end record before ``zipfile`` does: its entry count bounds the directory zipfile builds."""
    tail_size = min(size, 22 + 65535)  # the end record, then at most a 64 KiB comment
    fh.seek(size - tail_size)
    tail = fh.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _damaged(file, "its end record is missing, as when a download is cut short")
    entries, directory = struct.unpack_from("<HI", tail, at + 10)
    if entries == 0xFFFF or directory == 0xFFFFFFFF:  # a zip64 archive: the real counts are in its own record
        loc = at - 20
        if loc < 0 or tail[loc : loc + 4] != b"PK\x06\x07":
            raise _damaged(file, "its zip64 record is missing")
        (offset,) = struct.unpack_from("<Q", tail, loc + 8)
        if offset > size - 56:
            raise _damaged(file, "its zip64 record points outside the file")
        fh.seek(offset)
        record = fh.read(56)
        if record[:4] != b"PK\x06\x06":
            raise _damaged(file, "its zip64 record is damaged")
        entries, directory = struct.unpack_from("<QQ", record, 32)
    if entries > MAX_ENTRIES or directory > MAX_ENTRIES * 1024:
        raise _refuse(
            file,
            "unsafe-workbook",
            f"the workbook's zip holds {entries:,} parts; a workbook has a few dozen at most",
            "this is not a workbook saved by a spreadsheet program: do not open it; ask for the report again",
        )


def _parts(path: str, file: str) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error) as exc:
        raise _damaged(file, str(exc)) from None
    with archive:
        infos = archive.infolist()
        names = {i.filename.lower() for i in infos}
        if "[content_types].xml" not in names:
            raise _refuse(
                file,
                "unsupported-workbook",
                "the zip file is not an Office workbook (it has no [Content_Types].xml)",
                SAVE_AS_XLSX,
            )
        if "content.xml" in names and "xl/workbook.xml" not in names:
            raise _refuse(file, "unsupported-workbook", "an OpenDocument spreadsheet (.ods), not .xlsx", SAVE_AS_XLSX)
        if "xl/workbook.bin" in names:
            raise _refuse(file, "unsupported-workbook", "an Excel binary workbook (.xlsb), not .xlsx", SAVE_AS_XLSX)
        if file.lower().endswith((".xlsm", ".xltm")) or any(_MACRO_PART.search(n) for n in names):
            raise _refuse(
                file,
                "unsafe-workbook",
                "the workbook contains macros (a macro-enabled .xlsm workbook)",
                "save it as 'Excel Workbook (.xlsx)', which leaves the macros out; aseanwp never runs them",
            )
        total = 0
        for info in infos:
            total += info.file_size
            _part(info, file)
        if total > MAX_TOTAL:
            raise _refuse(
                file,
                "unsafe-workbook",
                f"the workbook's parts inflate to {total:,} bytes, over {MAX_TOTAL:,} (a zip bomb?)",
                "a Country Report workbook is far smaller: ask for the report again",
            )
        for info in infos:
            if _XML_PART.search(info.filename) and info.file_size:
                _prologue(archive, info, file)


def _part(info: zipfile.ZipInfo, file: str) -> None:
    if info.flag_bits & 0x1:
        raise _refuse(
            file,
            "encrypted-workbook",
            f"the part {info.filename} is encrypted",
            "save the workbook again without a password",
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _refuse(
            file,
            "unsupported-workbook",
            f"the part {info.filename} is compressed in a way spreadsheets do not use",
            SAVE_AS_XLSX,
        )
    if _SHEET_PART.fullmatch(info.filename):
        limit = MAX_SHEET
    else:
        limit = MAX_STRINGS if _STRINGS_PART.fullmatch(info.filename) else MAX_PART
    if info.file_size > limit:
        raise _refuse(
            file,
            "too-large" if info.file_size < MAX_TOTAL else "unsafe-workbook",
            f"the part {info.filename} inflates to {info.file_size:,} bytes, over {limit:,}: far larger than a "
            "Country Report",
            "keep to the report's rows (a sheet of a million rows is not a Country Report); a part that large in a "
            "small file is a zip bomb",
        )
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise _refuse(
            file,
            "unsafe-workbook",
            f"the part {info.filename} inflates {info.file_size // max(info.compress_size, 1):,} times "
            f"(to {info.file_size:,} bytes): a zip bomb",
            "this is not a workbook saved by a spreadsheet program: ask for the report again",
        )


def _prologue(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str) -> None:
    """Refuse a document type declaration before the root element: spreadsheet XML never has one, and it is
    where entity expansion (billion laughs) and external entities (XXE) live. defusedxml refuses them again
    when the parts are parsed; this says so clearly and before any parsing."""
    try:
        with archive.open(info) as src:
            head = src.read(PROLOGUE)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, RuntimeError, NotImplementedError) as exc:
        raise _damaged(file, f"{info.filename}: {exc}") from None
    text = _decode(head)
    at = 0
    while True:
        m = _PROLOGUE_ITEM.match(text, at)
        if m is None:
            break
        at = m.end()
    rest = text[at:]
    if len(head) == PROLOGUE and (not rest or rest.startswith(("<!--", "<?"))):
        raise _refuse(
            file,
            "unsafe-workbook",
            f"the part {info.filename} starts with over {PROLOGUE // 1024} KiB of comments",
            "ask for the report again, saved by a spreadsheet program",
        )
    if rest.startswith("<!") and not rest.startswith("<!--"):  # an unclosed comment is the parser's to report
        raise _refuse(
            file,
            "unsafe-workbook",
            f"the part {info.filename} declares a document type (<!DOCTYPE): XML entities are refused",
            "spreadsheet programs never write this; the file was made to attack XML readers: ask for the report again",
        )


def _decode(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if head[:2] in (b"<\x00", b"\x00<"):
        return head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", errors="replace")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")
