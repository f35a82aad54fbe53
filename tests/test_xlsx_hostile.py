"""Hostile and unlucky workbooks: each is one clear finding, never a traceback, a hang or memory exhaustion; and
openpyxl is loaded only by the commands that read or write workbooks.

The workbooks that could hang or exhaust memory if a guard broke run `aseanwp` in a subprocess with a timeout.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from conftest import PLAN, ROOT, Workspace, invoke_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbooks import header_row, package, sheet, template

from aseanwp.xlsx import safety

BOOK = "BRN-2008.xlsx"


def run(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASEANWP_")}
    env.update(NO_COLOR="1", PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "aseanwp", "--plan", str(PLAN), "--reports", "reports", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def only(ws: Workspace, name: str = BOOK) -> dict[str, Any]:
    """The one finding of validating ``name`` in a subprocess (exit 1, no traceback)."""
    proc = run(ws.root, "validate", "--format", "json", name)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr
    (f,) = json.loads(proc.stdout)["errors"]
    assert f["line"] is None and f["file"] == name
    return dict(f)


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)
XXE = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_billion_laughs_is_refused(ws: Workspace, part: str) -> None:
    if part == "xl/worksheets/sheet1.xml":
        xml = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', BILLION_LAUGHS)
    else:
        original = package(ws.root / "x.xlsx")
        with zipfile.ZipFile(original) as z:
            text = z.read(part).decode()
        xml = text.replace("?>", "?>" + BILLION_LAUGHS, 1)
    package(ws.root / BOOK, {part: xml})
    f = only(ws)
    assert f["code"] == "unsafe-workbook"
    assert f["message"] == f"the part {part} declares a document type (<!DOCTYPE): XML entities are refused"


def test_external_entities_are_refused(ws: Workspace) -> None:
    xml = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row>', XXE)
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": xml})
    assert only(ws)["code"] == "unsafe-workbook"


def test_a_doctype_behind_comments_is_refused(ws: Workspace) -> None:
    xml = sheet(header_row(), "<!--" + "x" * 70_000 + "-->" + XXE)
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": xml})
    f = only(ws)
    assert (f["code"], f["message"]) == (
        "unsafe-workbook",
        "the part xl/worksheets/sheet1.xml starts with over 64 KiB of comments",
    )


def test_the_sheet_parser_refuses_entities_behind_the_prologue_check(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: with the prologue check switched off, the sheet's parser still refuses."""
    monkeypatch.setattr(safety, "_prologue", lambda *a: None)
    xml = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', BILLION_LAUGHS)
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": xml})
    exit_code, doc = ws.validate_json(BOOK)
    assert exit_code == 1
    assert [f["code"] for f in doc["errors"]] == ["unsafe-workbook"]


def test_openpyxl_parses_with_defusedxml(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parts openpyxl reads (workbook, shared strings, styles, properties) go through defusedxml, which
    refuses entities even when the prologue check is switched off."""
    from openpyxl.xml import functions

    assert functions.fromstring.__module__.startswith("defusedxml")
    assert functions.iterparse.__module__.startswith("defusedxml")
    monkeypatch.setattr(safety, "_prologue", lambda *a: None)
    with zipfile.ZipFile(package(ws.root / "x.xlsx")) as z:
        text = z.read("xl/workbook.xml").decode()
    package(ws.root / BOOK, {"xl/workbook.xml": text.replace("?>", "?>" + BILLION_LAUGHS, 1)})
    exit_code, doc = ws.validate_json(BOOK)
    assert exit_code == 1
    assert [(f["code"], f["message"]) for f in doc["errors"]] == [
        ("unsafe-workbook", "the workbook's XML declares entities or a document type, which are refused")
    ]


def test_a_zip_bomb_by_its_declared_size_is_refused(ws: Workspace) -> None:
    path = package(ws.root / BOOK)
    data = bytearray(path.read_bytes())
    # declare 10 GB for the sheet in the central directory: nothing is inflated to find out
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, at + 24, 0xFFFFFFF0)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    f = only(ws)
    assert f["code"] == "unsafe-workbook"
    assert f["message"].startswith("the part xl/worksheets/sheet1.xml inflates to 4,294,967,280 bytes")


def test_a_zip_bomb_by_its_ratio_is_refused(ws: Workspace) -> None:
    padding = "<!-- -->" + " " * (20 * 1024 * 1024)
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet(header_row() + padding)})
    f = only(ws)
    assert f["code"] == "unsafe-workbook"
    assert "times" in f["message"] and "a zip bomb" in f["message"]


def test_a_part_larger_than_it_says_is_damaged(ws: Workspace) -> None:
    path = package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet(header_row() + " " * 100_000)})
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.find(sig)
        while at >= 0:
            name_at = at + (46 if sig == b"PK\x01\x02" else 30)
            name_len = struct.unpack_from("<H", data, at + (28 if sig == b"PK\x01\x02" else 26))[0]
            if data[name_at : name_at + name_len] == b"xl/worksheets/sheet1.xml":
                struct.pack_into("<I", data, at + offset, 300)
            at = data.find(sig, at + 4)
    path.write_bytes(bytes(data))
    proc = run(ws.root, "validate", "--format", "json", BOOK)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    codes = [f["code"] for f in json.loads(proc.stdout)["errors"]]
    assert codes[0] == "unreadable"


def test_a_million_rows_stop_at_the_row_cap(ws: Workspace) -> None:
    # numbered rows: rows all alike would compress like a zip bomb and be refused as one
    rows = header_row() + "".join(f'<row r="{r}"><c><v>{r}</v></c></row>' for r in range(2, 1_000_002))
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet(rows)})
    proc = run(ws.root, "validate", "--format", "json", BOOK)
    assert "Traceback" not in proc.stderr and proc.returncode == 1
    doc = json.loads(proc.stdout)
    cap = [f for f in doc["errors"] if f["code"] == "too-large"]
    assert [(f["line"], f["cell"], f["message"]) for f in cap] == [
        (10_001, "Indicators!10001:10001", "the sheet goes on past row 10,000 (row 10,001 has cells)")
    ]


def test_a_sheet_too_large_to_read_is_refused_unread(ws: Workspace) -> None:
    rows = header_row() + "".join(f'<row r="{r}"><c r="B{r}"><v>{r}</v></c></row>' for r in range(2, 1_200_000))
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet(rows)})
    f = only(ws)
    assert f["code"] == "too-large"
    assert f["message"].startswith("the part xl/worksheets/sheet1.xml inflates to ")


def test_rows_far_below_the_table_without_cells_are_passed_over(ws: Workspace) -> None:
    rows = header_row() + '<row r="2"><c r="A2" t="inlineStr"><is><t>heroin_seized_kg</t></is></c>'
    rows += '<c r="B2"><v>4</v></c><c r="C2" t="inlineStr"><is><t>UNODC</t></is></c></row>'
    rows += '<row r="1048576" ht="20" customHeight="1"/>'
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet(rows)})
    exit_code, doc = ws.validate_json(BOOK)
    assert (exit_code, doc["errors"], doc["warnings"]) == (0, [], [])


def test_too_many_elements_stop_the_reading(ws: Workspace) -> None:
    # one row of empty cells far to the right: nothing for the row cap to see (numbered, so as not to compress
    # like a zip bomb)
    cells = "".join(f'<c r="ZZ{i}"/>' for i in range(600_000))
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet(header_row() + f'<row r="2">{cells}</row>')})
    proc = run(ws.root, "validate", "--format", "json", BOOK)
    doc = json.loads(proc.stdout)
    assert [f["code"] for f in doc["errors"]] == ["too-large"]
    assert doc["errors"][0]["message"] == "the sheet holds over 500,000 XML elements: far more than a Country Report"


@pytest.mark.parametrize(
    ("name", "parts", "message"),
    [
        ("book.xlsm", {}, "the workbook contains macros (a macro-enabled .xlsm workbook)"),
        (BOOK, {"xl/vbaProject.bin": b"\0" * 64}, "the workbook contains macros (a macro-enabled .xlsm workbook)"),
        (BOOK, {"xl/macrosheets/sheet1.xml": "<x/>"}, "the workbook contains macros (a macro-enabled .xlsm workbook)"),
    ],
)
def test_macros_are_refused(ws: Workspace, name: str, parts: dict[str, Any], message: str) -> None:
    package(ws.root / name, parts)
    f = only(ws, name)
    assert (f["code"], f["message"]) == ("unsafe-workbook", message)


def ole(*streams: str) -> bytes:
    """An OLE compound file's first bytes with the given stream names in its directory (UTF-16)."""
    return safety.OLE_MAGIC + b"\0" * 504 + b"".join(s.encode("utf-16-le") + b"\0\0" for s in streams) + b"\0" * 512


@pytest.mark.parametrize(
    ("name", "data", "code", "message"),
    [
        (
            BOOK,
            ole("EncryptionInfo", "EncryptedPackage"),
            "encrypted-workbook",
            "the workbook is protected with a password to open, so it cannot be read",
        ),
        ("old.xls", ole("Workbook"), "unsupported-workbook", "an Excel 97-2003 workbook (.xls), not an .xlsx workbook"),
        (
            BOOK,
            b"indicator,value,source\nheroin_seized_kg,3,x\n",
            "unsupported-workbook",
            "not an Excel workbook: the file is text (a CSV file renamed?)",
        ),
        (
            BOOK,
            b"<html><body>Sign in</body></html>",
            "unsupported-workbook",
            "not an Excel workbook: the file is a web page or XML saved under a workbook name",
        ),
        (
            BOOK,
            b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
            "unsupported-workbook",
            "not an Excel workbook (.xlsx): the file is not a zip archive",
        ),
        (BOOK, b"", "empty-file", "the file is empty (0 bytes)"),
    ],
)
def test_files_that_are_not_xlsx_workbooks(ws: Workspace, name: str, data: bytes, code: str, message: str) -> None:
    (ws.root / name).write_bytes(data)
    f = only(ws, name)
    assert (f["code"], f["message"]) == (code, message)


def test_a_truncated_workbook_is_damaged(ws: Workspace) -> None:
    data = template(ws.root / "whole.xlsx").read_bytes()
    (ws.root / BOOK).write_bytes(data[: len(data) // 2])
    f = only(ws)
    assert f["code"] == "unreadable"
    assert f["message"] == (
        "the workbook is damaged or incomplete (its end record is missing, as when a download is cut short): it is "
        "not a whole zip file"
    )


def test_a_zip_of_many_parts_is_refused_before_its_directory_is_read(ws: Workspace) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(5000):
            z.writestr(f"p{i}", b"")
    (ws.root / BOOK).write_bytes(buf.getvalue())
    f = only(ws)
    assert (f["code"], f["message"]) == (
        "unsafe-workbook",
        "the workbook's zip holds 5,000 parts; a workbook has a few dozen at most",
    )


def test_a_zip_that_is_not_an_office_file(ws: Workspace) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    (ws.root / BOOK).write_bytes(buf.getvalue())
    assert only(ws)["code"] == "unsupported-workbook"


def test_damaged_xml_inside_is_a_finding(ws: Workspace) -> None:
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet(header_row()).replace("</sheetData>", "")})
    exit_code, doc = ws.validate_json(BOOK)
    assert exit_code == 1
    (f,) = doc["errors"]
    assert (
        f["code"] == "unreadable"
        and f["message"] == "the sheet Indicators is damaged (mismatched tag: line 1, column 297)"
    )
    package(ws.root / BOOK, {"xl/workbook.xml": "<workbook"})
    exit_code, doc = ws.validate_json(BOOK)
    assert [f["code"] for f in doc["errors"]] == ["unreadable"]


def test_a_shared_string_out_of_range_is_a_finding(ws: Workspace) -> None:
    rows = header_row() + '<row r="2"><c r="A2" t="s"><v>99</v></c><c r="B2"><v>3</v></c></row>'
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet(rows)})
    exit_code, doc = ws.validate_json(BOOK)
    assert exit_code == 1
    assert ("Indicators!A2", "unreadable") in [(f["cell"], f["code"]) for f in doc["errors"]]


# --- openpyxl only where it is needed ------------------------------------------------------------------------


def modules_after(root: Path, *args: str) -> set[str]:
    """The modules of interest loaded by one aseanwp run in a fresh interpreter."""
    script = (
        "import sys\n"
        "from aseanwp.cli import cli\n"
        "try:\n"
        f"    cli.main({list(args)!r}, prog_name='aseanwp')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('loaded:', *(m for m in ('openpyxl', 'defusedxml') if m in sys.modules), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASEANWP_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True)
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("loaded:"), proc.stderr
    return set(last.split()[1:])


def test_help_and_csv_validation_do_not_import_openpyxl(tmp_path: Path) -> None:
    (tmp_path / "BRN").mkdir()
    (tmp_path / "BRN" / "2008.csv").write_text("indicator,value,source\nheroin_seized_kg,3,x\n")
    assert modules_after(tmp_path, "--help") == set()
    assert modules_after(tmp_path, "--plan", str(PLAN), "--reports", str(tmp_path), "validate", "BRN/2008.csv") == set()
    # an .xls is refused from its first bytes, without openpyxl either
    (tmp_path / "old.xls").write_bytes(ole("Workbook"))
    assert modules_after(tmp_path, "--plan", str(PLAN), "--reports", str(tmp_path), "validate", "old.xls") == set()
    template(tmp_path / "b.xlsx")
    loaded = modules_after(tmp_path, "--plan", str(PLAN), "--reports", str(tmp_path), "validate", "b.xlsx")
    assert loaded == {"openpyxl", "defusedxml"}


@pytest.fixture
def without_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # `import openpyxl` now raises ImportError


MISSING = "needs openpyxl and defusedxml, which are not installed: pip install 'aseanwp[xlsx]'\n"


def test_without_openpyxl_validate_says_how_to_install_it(ws: Workspace, without_openpyxl: None) -> None:
    (ws.root / BOOK).write_bytes(TEMPLATE_BYTES)
    result = ws.invoke(BOOK)
    assert (result.exit_code, result.stderr) == (1, "aseanwp: reading a workbook " + MISSING)


def test_without_openpyxl_template_and_import_say_how_to_install_it(ws: Workspace, without_openpyxl: None) -> None:
    result = invoke_cli("--plan", str(ws.plan), "template", "BRN", "2008", "--format", "xlsx", "-o", "t.xlsx")
    assert (result.exit_code, result.stderr) == (1, "aseanwp: writing a workbook " + MISSING)
    (ws.root / BOOK).write_bytes(TEMPLATE_BYTES)
    result = invoke_cli("--plan", str(ws.plan), "--reports", str(ws.reports), "import", BOOK)
    assert (result.exit_code, result.stderr) == (1, "aseanwp: reading a workbook " + MISSING)


def _template_bytes() -> bytes:
    from aseanwp.plan import load_plan
    from aseanwp.xlsx.writer import template_workbook

    return template_workbook(load_plan(PLAN), "BRN", 2008)


TEMPLATE_BYTES = _template_bytes()


# --- mangled workbooks ---------------------------------------------------------------------------------------


def _filled_parts() -> dict[str, bytes]:
    import tempfile

    from workbooks import fill

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "b.xlsx"
        path.write_bytes(TEMPLATE_BYTES)
        fill(path, {("heroin_seized_kg", ""): {"value": 12.5, "source": "UNODC"}}, {"I.1.1": {"status": "ongoing"}})
        with zipfile.ZipFile(path) as z:
            return {name: z.read(name) for name in z.namelist()}


FILLED_PARTS = _filled_parts()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    part=st.sampled_from(sorted(FILLED_PARTS)),
    at=st.floats(0, 1),
    cut=st.integers(0, 40),
    insert=st.binary(max_size=40) | st.sampled_from([b"<", b"&lol;", b'"', b"</row>", b"<c r='ZZZZ9'>", b"\xff\xfe"]),
    whole=st.booleans(),
)
def test_mangled_workbooks_are_findings_not_crashes(
    ws: Workspace, part: str, at: float, cut: int, insert: bytes, whole: bool
) -> None:
    parts = dict(FILLED_PARTS)
    if whole:  # the zip's own bytes
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
        data = buf.getvalue()
        i = int(at * len(data))
        (ws.root / BOOK).write_bytes(data[:i] + insert + data[i + cut :])
    else:  # one part's XML
        data = parts[part]
        i = int(at * len(data))
        parts[part] = data[:i] + insert + data[i + cut :]
        package(ws.root / BOOK, parts)
    result = ws.invoke("--format", "json", BOOK)
    assert result.exit_code in (0, 1), result.output
    json.loads(result.stdout)


def test_a_cell_longer_than_excel_allows_is_too_large(ws: Workspace) -> None:
    rows = header_row() + f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c></row>'
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet(rows)})
    exit_code, doc = ws.validate_json(BOOK)
    assert exit_code == 1
    assert [(f["code"], f["cell"], f["message"]) for f in doc["errors"]] == [
        ("too-large", "Indicators!2:2", "a cell of row 2 holds over 32,767 characters, more than a cell can")
    ]


def test_an_empty_sheet(ws: Workspace) -> None:
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet("")})
    exit_code, doc = ws.validate_json(BOOK)
    assert (exit_code, [(f["code"], f["message"]) for f in doc["errors"]]) == (
        1,
        [("empty-file", "the sheet Indicators is empty")],
    )


def zip_with_raw_part(path: Path, parts: dict[str, bytes], name: str, deflated: bytes) -> Path:
    """A zip of ``parts`` in which ``name`` holds ``deflated`` as its compressed bytes, whatever they inflate to
    (zipfile compresses what it writes itself, so the zip is put together here)."""
    out, central = bytearray(), bytearray()
    for part, data in parts.items():
        crc, size = zlib.crc32(data), len(data)
        body = deflated if part == name else zlib.compress(data, 9)[2:-4]  # raw deflate: no zlib header
        fixed = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(body), size)
        encoded = part.encode()
        central += b"PK\x01\x02" + struct.pack("<H", 20) + fixed
        central += struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, len(out)) + encoded
        out += b"PK\x03\x04" + fixed + struct.pack("<HH", len(encoded), 0) + encoded + body
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


@pytest.mark.parametrize("good", [0, 200_000])
def test_a_corrupt_deflate_stream_is_damaged(ws: Workspace, good: int) -> None:
    """zlib's own error (an invalid block type) while a part is inflated: at its start (the prologue check
    reads it) or past the first 64 KiB of the sheet (the sheet reader reads it)."""
    rows = header_row() + "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>heroin_seized_kg{r * 7919 % 10007}</t></is></c></row>'
        for r in range(2, 6000)
    )
    xml = sheet(rows).encode()
    assert len(xml) > good + 100_000
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = packer.compress(xml[:good]) + packer.flush(zlib.Z_FULL_FLUSH) + b"\x07\x00\x00"  # block type 3
    with zipfile.ZipFile(package(ws.root / "x.xlsx")) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = xml
    zip_with_raw_part(ws.root / BOOK, parts, "xl/worksheets/sheet1.xml", deflated)
    exit_code, doc = ws.validate_json(BOOK)
    assert exit_code == 1
    (f,) = [f for f in doc["errors"] if f["code"] == "unreadable"]  # the rows before it are checked as usual
    assert "invalid block type" in f["message"]
