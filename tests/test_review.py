"""``aseanwp review`` (SPEC 6): golden documents of each kind on a small fixture, the Markdown checked with
markdown-it-py (tables, no HTML, Mermaid charts each followed by a table of the same figures), escaping of report and
plan text, the eight parts in order, the mid-term's data year, the banner for illustrative figures, sources traceable
to ``file:line``, and the command line.

The goals live in tests/golden/. After an intended change, regenerate them with

    ASEANWP_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_review.py

and read the diff against the hand checks written beside ``GOLDEN`` below before committing it.

The small fixture (tests/fixtures/review_small) is copied to a temporary folder outside any git repository and the
commands run there with relative paths, so the documents carry no repository commit and no machine-specific path.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import csv_records
from markdown_it import MarkdownIt
from markdown_it.token import Token

from aseanwp.cli import cli
from aseanwp.textsafe import clean

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "review_small"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("ASEANWP_UPDATE_GOLDEN") == "1"
MD = MarkdownIt("commonmark").enable("table")

# C0 controls but the newline, DEL, C1 controls, bidirectional overrides and isolates.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# markdown-it (like GitHub) splits table rows on every pipe not directly preceded by a backslash.
CELL_SPLIT = re.compile(r"(?<!\\)\|")
SECTIONS = [
    "Executive summary",
    "1. Scorecard",
    "2. Reporting completeness",
    "3. Summary by goal",
    "4. Benchmarks",
    "5. Actions: stock-take",
    "6. Data notes",
    "7. Findings",
    "8. Recommendations",
    "Annex A. Method",
    "Annex B. Comparability of figures",
    "Annex C. Actions by member",
    "Annex D. Sources",
]
S = {name.split(". ")[-1] if ". " in name else name: name for name in SECTIONS}  # "Summary by goal" -> "3. ..."
ACTION_HEADER = [
    "Action",
    "Text (first sentence)",
    "not started",
    "planned",
    "ongoing",
    "completed",
    "not applicable",
    "not reported",
]
PLACEHOLDER = "To be written by the review team."

# The golden documents: file name -> arguments of `review`.
GOLDEN = {
    "review_annual_2011.md": ("annual", "--year", "2011"),
    "review_midterm.md": ("midterm",),
    "review_final.md": ("final",),
    "review_midterm.json": ("midterm", "--format", "json"),
}
# Hand checks of the goldens (fixture: members Aland AAA, "Bee | Co*" BBB, Ceeland CCC; region "Region" REG;
# baseline 2008; reports for 2008, 2010 and 2012, and a partial 2011 report from Aland (area 85, policy no);
# area_ha has the target 50 for every member and for the region, by the period's end 2012).
#
# review_midterm.md / .json (meeting 2011, figures up to data_year 2010 from the plan):
#   completeness 2008-2010: everyone 100% in 2008 and 2010 except Ceeland 2010 75% (prevalence empty), 2009
#     missing for all. Files used: the 8 files up to 2010 (6 indicator files, 2 actions files); 23 figures.
#   I.a area: Aland 100 -> 90 (-10.0%, an estimate); Bee 0 -> 0 is at the target 50 (target achieved, rule 4);
#     Ceeland not applicable. Region = Aland + Bee = 100 -> 90 over 2 of 3 (Ceeland left out, not applicable).
#     R = (1 - 0.9^(1/2)) / (1 - 0.5^(1/4)) = 0.0513 / 0.1591 = 0.32: limited progress (0 <= R < 0.6).
#     Chart 2008, 2010: 100, 90 and the target line 50, 50.
#   I.b policy: members at yes 1 (Ceeland) -> 1: v = 0, limited; members Aland no/no and Bee no/no limited,
#     Ceeland yes/yes substantial: ▲ 1 · → 2.
#   II.a prevalence (a rate, never summed): Aland 2.0 -> 1.8, v = 1 - 0.9^(1/2) = 0.051 (substantial, +5);
#     Bee 1.0 -> 1.1, v = -0.049 (deterioration, -5); Ceeland's 2010 value is empty: latest 2008, stale, not
#     available. One of the two rated members improves, one does not: under two thirds agree, so the region is
#     mixed (SPEC 4, rev. 2). Youth: Aland 4.0 in 2008 only: stale, not available.
#   II.b seizures (context): 10 + 5 + 1 = 16 -> 11 + 4 + 2 = 17, +6.25% (shown as +6.2%).
#   Actions: latest files at or before 2010: AAA 2010, BBB 2010; Ceeland has none, so 1 not reported everywhere.
#     I.1.1 ongoing 1 (AAA), not applicable 1 (BBB); I.1.2 not started 2; II.1.1 planned 2; II.1.2 completed 1
#     (AAA), ongoing 1 (BBB). Not started by anyone: I.1.2 and II.1.1 (planned is not started, though no member
#     says not_started for II.1.1). AAA's 2012 actions file is after the data year and is not used.
#   No banner: the only illustrative figure (Ceeland's 2012 seizures) is after the data year.
#
# review_annual_2011.md (figures up to 2011: only Aland reported for 2011, area and policy only):
#   completeness: Aland 2011 50% (2 of 4 core), Bee and Ceeland no 2011 report.
#   I.a: Aland 100 -> 85 (-15.0%); Bee 0 in 2010 (stale, still at the target); Region = Aland alone 100 -> 85,
#     coverage 1/3 (Bee no value in 2011, Ceeland not applicable); chart 2008, 2010, 2011: 100, 90, 85.
#   I.b: like for like over Aland only: 0 of 1 at yes in 2008 and 2011 (limited); Bee and Ceeland stale (2010).
#   II.a: as in the mid-term (every figure is from 2010 or 2008, all stale).
#   II.b: nobody reported seizures for 2011: region empty, coverage 0/3, no chart; every member stale (2010).
#   No actions stock-take (annual). No banner.
#
# review_final.md (meeting 2012, figures up to 2012):
#   I.a: Aland 100 -> 80 (-20.0%), R = (1 - 0.8^(1/4)) / (1 - 0.5^(1/4)) = 0.0543 / 0.1591 = 0.34: limited;
#     Region 100 -> 80 over 2/3; chart 2008, 2010, 2012 (2011 left out: Bee has no 2011 figure): 100, 90, 80.
#   I.b: members at yes 1 -> 2 (Aland no -> yes): v = 2^(1/4) - 1 = 0.19, substantial; ▲ 2 · → 1.
#   II.a: Aland 2.0 -> 1.5 (+5), Bee 1.0 -> 1.2 (-5), Ceeland 3 -> 3 (v = 0, -2.5): two of three do not improve
#     (two thirds agree), so the region is banded from their scores: (-5 - 2.5) / 2 = -3.75, deterioration.
#     Youth: Aland 4 -> 4, limited.
#   II.b: 16 -> 12 + 4 + 2 = 18, +12.5%; Ceeland's 2012 figure says "illustrative (test)": the banner, 1 of 37.
#   Actions: latest files AAA 2012, BBB 2010 (BBB's latest at or before 2012). I.1.1 completed 1, not applicable 1,
#     not reported 1; I.1.2 not started 2, not reported 1; II.1.1 planned 1 (BBB), ongoing 1 (AAA), not
#     reported 1; II.1.2 ongoing 1 (BBB), not reported 2 (AAA's 2012 file leaves it out: not reported, not
#     not started). Not started by anyone: I.1.2 only.
#   Aland's 2012 area note "Revised | see *annex* _B_ <b>bold</b>" appears escaped in the notes.


# --- running the command ----------------------------------------------------------------------------------


def invoke(cwd: Path, *args: str, isolate_git: bool = True) -> Result:
    """Run ``aseanwp ARGS`` in ``cwd``; with ``isolate_git`` git may not look above ``cwd`` for a repository."""
    env: dict[str, str | None] = {"NO_COLOR": "1", "ASEANWP_PLAN": None, "ASEANWP_REPORTS": None}
    if isolate_git:
        env |= {"GIT_DIR": None, "GIT_WORK_TREE": None, "GIT_CEILING_DIRECTORIES": str(cwd.parent)}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        return CliRunner(env=env).invoke(cli, list(args), catch_exceptions=False)


class Workspace:
    """A folder with a plan and its reports; runs ``review`` there and keeps each output (the inputs don't change)."""

    def __init__(self, root: Path, plan: str = "workplan.yaml", isolate_git: bool = True) -> None:
        self.root, self.plan, self.isolate_git = root, plan, isolate_git
        self._cache: dict[tuple[str, ...], str] = {}

    def run(self, *args: str) -> Result:
        return invoke(self.root, "--plan", self.plan, *args, isolate_git=self.isolate_git)

    def out(self, *args: str) -> str:
        if args not in self._cache:
            result = self.run("review", *args)
            assert result.exit_code == 0, result.output
            assert "Traceback" not in result.output
            self._cache[args] = result.stdout
        return self._cache[args]

    def doc(self, *args: str) -> dict[str, Any]:
        return json.loads(self.out(*args, "--format", "json"))


def copy_fixture(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest)
    return dest


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A read-only copy of tests/fixtures/review_small outside the repository."""
    return Workspace(copy_fixture(tmp_path_factory.mktemp("review") / "small"))


SHIPPED = Workspace(ROOT, "data/workplan.yaml", isolate_git=False)


# --- reading Markdown --------------------------------------------------------------------------------------


def walk(tokens: list[Token]) -> Iterator[Token]:
    for t in tokens:
        yield t
        if t.children:
            yield from walk(t.children)


def source_cells(line: str) -> list[str]:
    assert line.startswith("|") and line.endswith("|"), line
    return CELL_SPLIT.split(line)[1:-1]


def plain(inline: Token) -> str:
    """The text a reader sees in an inline token (markup dropped)."""
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


def tables(tokens: list[Token]) -> list[tuple[int, list[list[str]]]]:
    """Every table as (index of its table_open token, rows of cell texts with the header first)."""
    out = []
    for i, t in enumerate(tokens):
        if t.type != "table_open":
            continue
        rows: list[list[str]] = []
        j = i
        while tokens[j].type != "table_close":
            if tokens[j].type == "tr_open":
                rows.append([])
            elif tokens[j].type == "inline":
                rows[-1].append(plain(tokens[j]))
            j += 1
        out.append((i, rows))
    return out


def number(cell: str) -> float:
    return float(cell.replace(",", ""))


def mermaid_lines(content: str, keyword: str) -> list[list[str]]:
    return [
        [v.strip() for v in m.group(1).split(",")]
        for m in re.finditer(rf"^\s*{keyword} \[(.*)\]$", content, flags=re.MULTILINE)
    ]


def check_markdown(text: str) -> dict[str, Any]:
    """The rendering rules of SPEC 5 on a whole document; returns its tokens, headings and charts for more checks."""
    assert not CONTROL.search(text), repr(CONTROL.search(text))
    tokens = MD.parse(text)
    html = [t for t in walk(tokens) if t.type.startswith("html")]
    assert not html, [t.content for t in html]
    lines = text.split("\n")

    # tables: each row of the source has as many cells as the header, and so do the parsed rows
    in_tables: set[int] = set()
    for i, rows in tables(tokens):
        start, end = tokens[i].map
        in_tables.update(range(start, end))
        src = lines[start:end]
        width = len(source_cells(src[0]))
        for line in src:
            assert len(source_cells(line)) == width, (src[0], line)
        assert len(rows) == len(src) - 1  # the delimiter row is not a row
        assert all(len(r) == width for r in rows), rows
    pipe_lines = {n for n, line in enumerate(lines) if line.startswith("|")}
    assert pipe_lines <= in_tables, [lines[n] for n in sorted(pipe_lines - in_tables)]

    # charts: Mermaid xychart-beta blocks, each followed (after its caption) by a table of the same figures
    headings: list[tuple[int, str]] = []
    charts: dict[str, list[dict[str, Any]]] = {}
    table_at = dict(tables(tokens))
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            headings.append((int(t.tag[1]), tokens[i + 1].content))
            continue
        if t.type == "fence":
            assert t.info.strip() == "mermaid", t.info
            assert t.content.count("xychart-beta") == 1
            for title in re.findall(r'^\s*(?:title|y-axis) "(.*)"', t.content, flags=re.MULTILINE):
                assert '"' not in title
            (years,) = mermaid_lines(t.content, "x-axis")
            series = mermaid_lines(t.content, "line")
            assert 1 <= len(series) <= 2
            j = i + 1
            while tokens[j].type != "table_open":
                assert tokens[j].type in ("paragraph_open", "inline", "paragraph_close"), tokens[j].type
                j += 1
            header, *rows = table_at[j]
            assert header[0] == "Year" and len(header) == 1 + len(series)
            assert [r[0] for r in rows] == years
            for k, line in enumerate(series):
                assert len(line) == len(rows)
                for shown, plotted in zip((r[1 + k] for r in rows), line, strict=True):
                    # the table rounds to 2 decimals
                    assert number(shown) == pytest.approx(float(plotted), abs=0.0051), (shown, plotted)
            bench = headings[-1][1].split()[0]
            charts.setdefault(bench, []).append(
                {
                    "years": [int(y) for y in years],
                    "values": [float(v) for v in series[0]],
                    "target": float(series[1][0]) if len(series) == 2 else None,
                }
            )
    return {"tokens": tokens, "headings": headings, "charts": charts}


def section(tokens: list[Token], title: str) -> list[Token]:
    """The block tokens between the level-2 heading ``title`` and the next level-2 heading."""
    start = next(i + 3 for i, t in enumerate(tokens) if t.type == "heading_open" and tokens[i + 1].content == title)
    end = next(
        (i for i in range(start, len(tokens)) if tokens[i].type == "heading_open" and tokens[i].tag == "h2"),
        len(tokens),
    )
    return tokens[start:end]


def charted(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["id"]: b["chart"] for g in doc["goals"] for b in g["benchmarks"] if b["chart"] is not None}


# --- reading report files ----------------------------------------------------------------------------------


def value_of(rec: dict[str, str]) -> float | None:
    cell = rec["value"]
    if cell in ("", "NA", ".."):
        return None
    return {"yes": 1.0, "no": 0.0}[cell] if cell in ("yes", "no") else float(cell.rstrip("%"))


def split_ref(ref: str) -> tuple[str, int]:
    file, _, line = ref.rpartition(":")
    return file, int(line)


def check_sources(root: Path, doc: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Every ``file:line`` of the sources exists and its row names the group's source; returns ref -> record."""
    found = {}
    for group in doc["sources"]:
        none = group["source"].startswith("(none")
        assert group["refs"] == [f"{f['file']}:{n}" for f in group["files"] for n in f["lines"]]
        for ref in group["refs"]:
            file, line = split_ref(ref)
            assert (root / file).is_file(), ref
            rec = csv_records(root / file).get(line)
            assert rec is not None, f"{ref}: no record starts on that line"
            assert rec.get("source", "") == ("" if none else group["source"]), (ref, rec)
            found[ref] = rec
    assert sum(len(g["refs"]) for g in doc["sources"]) == len(found) == doc["data"]["figures"]
    return found


def by_series(
    found: dict[str, dict[str, str]], dims: dict[str, str] | None = None
) -> dict[tuple[str, int, str], list[float | None]]:
    """The values on the cited lines of the total (or of the breakdown ``dims``), by member, year and indicator."""
    out: dict[tuple[str, int, str], list[float | None]] = {}
    for ref, rec in found.items():
        country, name = Path(split_ref(ref)[0]).parts[-2:]
        if name[:4].isdigit() and {d: rec[d] for d in ("population", "modality", "chemical") if rec.get(d)} == (
            dims or {}
        ):
            out.setdefault((country, int(name[:4]), rec["indicator"]), []).append(value_of(rec))
    return out


# --- 1. golden documents ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOLDEN)
def test_golden(small: Workspace, name: str):
    text = small.out(*GOLDEN[name])
    path = GOLDEN_DIR / name
    if UPDATE:
        GOLDEN_DIR.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.is_file(), f"{path} is missing: run ASEANWP_UPDATE_GOLDEN=1 pytest tests/test_review.py"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from the golden file; see the hand checks"


def test_golden_json_has_no_commit_and_relative_sources(small: Workspace):
    doc = small.doc("midterm")
    assert doc["data"]["commit"] is None  # outside a repository
    assert all(r.startswith("reports/") for g in doc["sources"] for r in g["refs"])


def test_hand_checked_figures(small: Workspace):
    """The hand checks above, as assertions on the data (so a golden refresh cannot silently change them)."""
    mid, final = small.doc("midterm"), small.doc("final")
    bench = {b["id"]: b for g in mid["goals"] for b in g["benchmarks"]}
    area = bench["I.a"]["headline"]
    assert (area["base_value"], area["value"], area["change_pct"]) == (100, 90, -10)
    assert area["coverage"] == ["AAA", "BBB"] and area["excluded"] == [{"code": "CCC", "reason": "not_applicable"}]
    assert bench["I.a"]["status"] == "limited_progress"
    assert bench["I.a"]["member_statuses"] == {"target_achieved": 1, "limited_progress": 1, "not_available": 1}
    # Aland improves, Bee deteriorates: one of two each way is under two thirds (SPEC 4, rev. 2)
    assert bench["II.a"]["status"] == "mixed"
    seized = bench["II.b"]["headline"]
    assert (seized["base_value"], seized["value"], seized["change_pct"]) == (16, 17, 6.25)
    assert mid["data"] == {"files": 8, "commit": None, "figures": 23}
    shares = {m["code"]: m["shares"] for m in mid["completeness"]["members"]}
    assert shares["CCC"] == {"2008": 1.0, "2009": None, "2010": 0.75}

    bench = {b["id"]: b for g in final["goals"] for b in g["benchmarks"]}
    assert bench["I.a"]["chart"]["years"] == [2008, 2010, 2012]  # 2011: Bee has no figure
    assert bench["I.a"]["chart"]["values"] == [100, 90, 80]
    assert (bench["I.b"]["headline"]["base_value"], bench["I.b"]["headline"]["value"]) == (1, 2)
    assert bench["I.b"]["status"] == "substantial_progress"
    assert bench["II.a"]["status"] == "deterioration"  # banded from the two that do not improve: (-5 - 2.5) / 2
    assert (bench["II.b"]["headline"]["value"], bench["II.b"]["headline"]["change_pct"]) == (18, 12.5)
    assert (final["illustrative"], final["illustrative_figures"], final["data"]["figures"]) == (True, 1, 37)


# --- 2. Markdown structure ----------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [GOLDEN[n] for n in GOLDEN if n.endswith(".md")], ids=lambda a: a[0])
def test_markdown_is_well_formed_and_charts_match_their_tables(small: Workspace, args: tuple[str, ...]):
    parsed = check_markdown(small.out(*args))
    doc = small.doc(*args)
    charts = charted(doc)
    assert set(parsed["charts"]) == set(charts)
    for bench, chart in charts.items():
        (shown,) = parsed["charts"][bench]  # exactly one per charted benchmark
        assert shown == {"years": chart["years"], "values": chart["values"], "target": chart["target"]}


def test_shipped_final_markdown_is_well_formed():
    text = SHIPPED.out("final")
    parsed = check_markdown(text)
    charts = charted(SHIPPED.doc("final"))
    assert charts and set(parsed["charts"]) == set(charts)
    for bench, chart in charts.items():
        (shown,) = parsed["charts"][bench]
        assert shown["years"] == chart["years"]
        assert shown["values"] == pytest.approx(chart["values"], abs=1e-6)


# --- 3. escaping --------------------------------------------------------------------------------------------

NASTY = [
    "cell | breaker",
    "<script>alert(1)</script>",
    "*bold* and **strong**",
    "_under_ and __score__",
    "`code` and ``more``",
    "line one\nline two",
    "# heading",
    "1. item",
    "\x1b[31mred\x1b[0m and \x1b]0;title\x07",
    "abc\u202edcba",
    "- dash",
    "> quote",
    "[link](http://example.com) <http://example.com>",
    "~~strike~~ &lt; &#60;",
    "    indented",
    "+ plus",
]


def _marker(n: int) -> str:
    return f"zq{n:02d}"  # placed at the end: the risky text itself starts the line or list item


def _shown(text: str) -> str:
    """What a reader should see: the text with control characters made visible, whitespace collapsed."""
    return " ".join(clean(text).split())


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def _check_marked(tokens: list[Token], expected: dict[str, str]) -> None:
    """Each marked text is shown literally: its inline tokens hold plain text only, with the whole text in it."""
    for marker, text in expected.items():
        inlines = [t for t in tokens if t.type == "inline" and marker in t.content]
        assert inlines, f"{marker} ({text!r}) is not in the document"
        for t in inlines:
            # plain text; the renderer's own bold (a region row's name) may wrap it, but then the text is whole
            kinds = {c.type for c in t.children or []}
            assert kinds <= {"text", "strong_open", "strong_close"}, (text, kinds, t.content)
            assert text in plain(t), (text, t.content)


def _check_blocks(tokens: list[Token], clean_tokens: list[Token]) -> None:
    """No heading, list, quote, code or rule that the document without the risky text does not have."""

    def shape(toks: list[Token]) -> dict[str, Any]:
        return {
            "headings": [t.tag for t in toks if t.type == "heading_open"],
            "quotes": sum(t.type == "blockquote_open" for t in toks),
            "ordered": sum(t.type == "ordered_list_open" for t in toks),
            "nested": sum(t.type == "bullet_list_open" and t.level > 0 for t in toks),
            "code": sum(t.type in ("code_block", "hr") for t in toks),
            "fences": sum(t.type == "fence" for t in toks),
            "tables": sum(t.type == "table_open" for t in toks),
        }

    assert shape(tokens) == shape(clean_tokens)


def test_report_text_cannot_break_the_markdown(small: Workspace, tmp_path: Path):
    """Notes and sources with Markdown, HTML, newlines and control characters, on lines every review cites."""
    ws = Workspace(copy_fixture(tmp_path / "nasty"))
    header = ["indicator", "population", "value", "source", "flag", "notes"]
    marked = [f"{text} {_marker(n)}" for n, text in enumerate(NASTY)]
    # Aland 2012: notes; Bee 2012: sources and notes; Ceeland 2012 and Aland 2008: sources
    aaa12 = [("area_ha", "", "80"), ("policy", "", "yes"), ("prevalence_pct", "", "1.5")]
    aaa12 += [("prevalence_pct", "youth", "4.0"), ("seized_kg", "", "12")]
    bbb12 = [("area_ha", "", "0"), ("policy", "", "no"), ("prevalence_pct", "", "1.2"), ("seized_kg", "", "4")]
    ccc12 = [("policy", "", "yes"), ("prevalence_pct", "", "3.0")]
    aaa08 = [("area_ha", "", "100"), ("policy", "", "no"), ("prevalence_pct", "", "2.0")]
    aaa08 += [("prevalence_pct", "youth", "4.0"), ("seized_kg", "", "10")]
    texts = iter(marked)
    rows = [header, *[[i, p, v, "survey", "", next(texts)] for i, p, v in aaa12]]
    _write_csv(ws.root / "reports" / "AAA" / "2012.csv", rows)
    rows = [header, *[[i, p, v, t, "", t] for (i, p, v), t in zip(bbb12, texts, strict=False)]]
    _write_csv(ws.root / "reports" / "BBB" / "2012.csv", rows)
    rows = [header, ["area_ha", "", "", "", "not_applicable", ""]]
    rows += [[i, p, v, t, "", ""] for (i, p, v), t in zip(ccc12, texts, strict=False)]
    rows.append(["seized_kg", "", "2", "illustrative (test)", "", ""])  # the banner stays, as in the clean run
    _write_csv(ws.root / "reports" / "CCC" / "2012.csv", rows)
    rest = list(texts)
    rows = [header, *[[i, p, v, rest.pop(0) if rest else "survey", "", ""] for i, p, v in aaa08]]
    _write_csv(ws.root / "reports" / "AAA" / "2008.csv", rows)
    assert not rest  # every risky text is on a cited line

    text = ws.out("final")
    parsed = check_markdown(text)
    _check_marked(parsed["tokens"], {_marker(n): _shown(m) for n, m in enumerate(marked)})
    _check_blocks(parsed["tokens"], check_markdown(small.out("final"))["tokens"])
    assert "\x1b" not in text and "\u202e" not in text
    assert not re.search(r"(?<!\\)<", text)  # every '<' escaped
    # the JSON keeps the text as written, trimmed (it is data, not Markdown)
    sources = {g["source"] for g in ws.doc("final")["sources"]}
    assert {marked[7], marked[9]} <= sources


def test_plan_text_cannot_break_the_markdown(small: Workspace, tmp_path: Path):
    """Names from the plan go into headings and tables: they are escaped the same way."""
    ws = Workspace(copy_fixture(tmp_path / "nasty_plan"))
    plan = (ws.root / "workplan.yaml").read_text(encoding="utf-8")
    swaps = {
        "{code: AAA, name: Aland}": '{code: AAA, name: "# Al|and <b>x</b> zq01"}',
        "{code: REG, name: Region}": '{code: REG, name: "Re|gion *all* zq02"}',
        "{id: I, title: Less cultivation}": '{id: I, title: "1. Less `cultivation` zq03"}',
        "{id: I.a, goal: I, text: Less poppy}": '{id: I.a, goal: I, text: "_Less_ | poppy <i> zq04"}',
        "{id: I.1.2, text: Eradicate the crops.}": '{id: I.1.2, text: "- Eradicate | the *crops* zq05"}',
        "    name: Area\n": '    name: "Ar|ea <u>ha</u> zq06"\n',
        "title: Tiny test plan 2009-2012": 'title: "Tiny | test *plan* <br> zq07"',
        "title: Final assessment}": 'title: "> Final | assessment zq08"}',
    }
    for old, new in swaps.items():
        assert plan.count(old) == 1, old
        plan = plan.replace(old, new)
    (ws.root / "workplan.yaml").write_text(plan, encoding="utf-8")
    expected = {
        "zq01": "# Al|and <b>x</b> zq01",
        "zq02": "Re|gion *all* zq02",
        "zq03": "1. Less `cultivation` zq03",
        "zq04": "_Less_ | poppy <i> zq04",
        "zq05": "- Eradicate | the *crops* zq05",
        "zq06": "Ar|ea <u>ha</u> zq06",
        "zq07": "Tiny | test *plan* <br> zq07",
        "zq08": "> Final | assessment zq08",
    }
    parsed = check_markdown(ws.out("final"))
    _check_marked(parsed["tokens"], expected)
    _check_blocks(parsed["tokens"], check_markdown(small.out("final"))["tokens"])


# --- 4. the eight parts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [GOLDEN[n] for n in GOLDEN if n.endswith(".md")], ids=lambda a: a[0])
def test_every_part_in_order(small: Workspace, args: tuple[str, ...]):
    parsed = check_markdown(small.out(*args))
    tokens, headings = parsed["tokens"], parsed["headings"]
    doc = small.doc(*args)
    rv = doc["review"]
    # heading: plan, review, meeting year and data year; data; method and thresholds; legend
    assert headings[0][0] == 1 and str(rv["year"]) in headings[0][1]
    assert [h for level, h in headings if level == 2] == SECTIONS
    head = tokens[: next(i for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2")]
    head_text = " ".join(t.content for t in head if t.type == "inline")
    assert "Tiny test plan 2009-2012" in head_text
    assert f"meeting of {rv['year']}" in head_text and f"covering figures up to {rv['data_year']}" in head_text
    assert f"Data: {doc['data']['files']} country report files" in head_text
    assert "Method: Annex A" in head_text and "0% / 0.5% / 1.5% a year" in head_text and "0 / 0.6 / 0.95" in head_text
    assert "Statuses:" in head_text and "Target achieved" in head_text
    # executive summary first: a verdict per goal, the largest changes, what could not be assessed
    summary_text = [plain(t) for t in section(tokens, S["Executive summary"]) if t.type == "inline"]
    assert summary_text[0] == "Verdict by goal."
    assert [x.split(" (")[0] for x in summary_text if x.startswith("Goal ")] == ["Goal I", "Goal II"]
    assert any(x.startswith("Largest changes since 2008") for x in summary_text)
    assert "Not assessed." in summary_text
    # scorecard: members and the region by benchmarks
    ((_, card),) = tables(section(tokens, S["Scorecard"]))
    assert card[0] == ["Member", "I.a", "I.b", "II.a", "II.b"]
    assert [r[0] for r in card[1:]] == ["Aland", "Bee | Co*", "Ceeland", "Region"]
    # completeness: members by years from the baseline to the data year, then every series of a region row
    (_, comp), (_, series) = tables(section(tokens, S["Reporting completeness"]))
    assert comp[0] == ["Member", *[str(y) for y in range(2008, rv["data_year"] + 1)]]
    assert [r[0] for r in comp[1:]] == ["Aland", "Bee | Co*", "Ceeland"]
    assert series[0] == ["Series", "Core", str(rv["data_year"]), "2008", "Not applicable"]
    # summary by goal: one table per goal, a row per benchmark (and the members' changes since the earlier review)
    summary = tables(section(tokens, S["Summary by goal"]))
    tables_per_goal = 2 if doc["compared_with"] else 1
    assert len(summary) == 2 * tables_per_goal
    assert [len(rows) - 1 for _, rows in summary[::tables_per_goal]] == [2, 2]
    assert summary[0][1][0][:2] == ["Benchmark", "Region"]
    # per benchmark: a heading each, with its table (statuses, not scores)
    bench = section(tokens, S["Benchmarks"])
    assert [bench[i + 1].content.split()[0] for i, t in enumerate(bench) if t.type == "heading_open"] == [
        "I.a",
        "I.b",
        "II.a",
        "II.b",
    ]
    assert "score" not in " ".join(t.content for t in bench if t.type == "inline").lower()
    # actions: midterm and final only
    actions = section(tokens, S["Actions: stock-take"])
    if rv["kind"] == "annual":
        assert doc["actions"] is None
        assert not tables(actions) and not any(t.type == "bullet_list_open" for t in actions)
    else:
        ((_, rows),) = tables(actions)
        assert rows[0] == ACTION_HEADER
        assert [r[0] for r in rows[1:]] == ["I.1.1", "I.1.2", "I.1 subtotal", "II.1.1", "II.1.2", "II.1 subtotal"]
        listed = [plain(t).split()[0] for t in actions if t.type == "inline" and t.level == 3]
        assert listed == doc["actions"]["not_started_by_any"]
    # data notes: every kind, in order
    notes = [t.content for t in section(tokens, S["Data notes"]) if t.type == "inline" and t.content.startswith("**")]
    assert [n.split(".**")[0].strip("*") for n in notes] == [
        "Substituted baselines",
        "Series breaks",
        "Members left out of the Region sums",
        "Coverage and agreement",
        "Stale figures",
        "Estimates, provisional figures and ranges",
        "Series not rated",
        "Targets whose year had passed (rated without a path)",
        "Revisions of earlier figures",
        "Members that did not report",
        "Notes in the reports",
        "Validation warnings",
    ]
    # empty Findings and Recommendations: a placeholder only
    for title in (S["Findings"], S["Recommendations"]):
        body = section(tokens, title)
        assert [t.type for t in body] == ["paragraph_open", "inline", "paragraph_close"]
        assert body[1].children[1].content == PLACEHOLDER  # type: ignore[index]
    # annexes: the method box, comparability, actions by member, sources (a list, last)
    assert any(t.type == "ordered_list_open" for t in section(tokens, S["Method"]))
    assert any(t.type == "bullet_list_open" for t in section(tokens, S["Sources"]))


def test_actions_not_reported_is_not_not_started(small: Workspace):
    mid = {r["id"]: r for r in small.doc("midterm")["actions"]["rows"]}
    final = small.doc("final")["actions"]
    assert final["files"] == {"AAA": 2012, "BBB": 2010}  # years are numbers
    rows = {r["id"]: r for r in final["rows"]}
    for r in [*mid.values(), *rows.values()]:
        assert sum(r["counts"].values()) + r["not_reported"] == 3
    # Ceeland has no actions file; Aland's 2012 file leaves II.1.2 out: not reported, not "not started"
    assert (rows["II.1.2"]["not_reported"], rows["II.1.2"]["counts"]["not_started"]) == (2, 0)
    assert (mid["II.1.1"]["not_reported"], mid["II.1.1"]["counts"]["not_started"]) == (1, 0)
    assert rows["I.1.2"]["counts"]["not_started"] == 2 and rows["I.1.2"]["not_reported"] == 1
    # started means ongoing or completed: II.1.1 is only planned in 2010, so nobody had started it
    assert small.doc("midterm")["actions"]["not_started_by_any"] == ["I.1.2", "II.1.1"]
    assert final["not_started_by_any"] == ["I.1.2"]


def test_shipped_midterm_uses_the_plans_data_year():
    doc = SHIPPED.doc("midterm")
    assert (doc["review"]["year"], doc["review"]["data_year"]) == (2012, 2011)
    assert doc["completeness"]["years"] == [2008, 2009, 2010, 2011]
    years = []
    for g in doc["goals"]:
        for b in g["benchmarks"]:
            if b["headline"] and b["headline"]["year"] is not None:
                years.append(b["headline"]["year"])
            if b["chart"]:
                years.extend(b["chart"]["years"])
            for table in [b["table"], *[bd["rows"] for bd in b["breakdowns"]]]:
                years.extend(c["year"] for r in table for c in r["cells"] if c and c["year"] is not None)
    assert years and max(years) == 2011
    refs = [r for g in doc["sources"] for r in g["refs"]]
    assert refs and max(int(Path(split_ref(r)[0]).stem[:4]) for r in refs) == 2011
    assert set(doc["actions"]["files"].values()) == {2011}
    # the same figures as the annual review of 2011
    assert doc["goals"] == SHIPPED.doc("annual", "--year", "2011")["goals"]
    # the stock-take: every member counted once per action; the list of actions nobody started
    for r in doc["actions"]["rows"]:
        assert sum(r["counts"].values()) + r["not_reported"] == 10
    expected = [r["id"] for r in doc["actions"]["rows"] if not r["counts"]["ongoing"] + r["counts"]["completed"]]
    assert doc["actions"]["not_started_by_any"] == expected
    text = SHIPPED.out("midterm")
    listed = re.findall(r"^- \*\*([0-9IVX.]+)\*\* ", text.split("## 5.")[1].split("## 6.")[0], re.MULTILINE)
    assert listed == expected


# --- 5. the banner ------------------------------------------------------------------------------------------

BANNER = "Warning: illustrative figures."


def _banner(text: str) -> bool:
    tokens = MD.parse(text)
    quotes = [i for i, t in enumerate(tokens) if t.type == "blockquote_open"]
    return any(BANNER in tokens[i + 2].content for i in quotes)


def _illustrative_refs(doc: dict[str, Any]) -> int:
    return sum(len(g["refs"]) for g in doc["sources"] if "illustrative" in g["source"].lower())


@pytest.mark.parametrize(("args", "shown"), [(GOLDEN["review_final.md"], True), (("midterm",), False)])
def test_banner_only_when_a_figure_used_is_illustrative(small: Workspace, args: tuple[str, ...], shown: bool):
    # the fixture's only illustrative figure is Ceeland's 2012 seizures: used by the final, not by the mid-term
    doc = small.doc(*args)
    assert doc["illustrative"] is shown and doc["illustrative_figures"] == _illustrative_refs(doc) == int(shown)
    assert _banner(small.out(*args)) is shown
    assert (BANNER in small.out("annual", "--year", "2011")) is False


def test_banner_follows_a_used_figure_whatever_its_case(tmp_path: Path):
    ws = Workspace(copy_fixture(tmp_path / "ill"))
    path = ws.root / "reports" / "BBB" / "2010.csv"
    text = path.read_text(encoding="utf-8").replace("seized_kg,,4,police,", "seized_kg,,4,ILLUSTRATIVE estimate,")
    assert "ILLUSTRATIVE" in text
    path.write_text(text, encoding="utf-8")
    doc = ws.doc("midterm")
    assert doc["illustrative"] and doc["illustrative_figures"] == 1
    assert _banner(ws.out("midterm"))


def test_shipped_banner_counts_the_illustrative_figures_used():
    doc = SHIPPED.doc("final")
    assert doc["illustrative"] and doc["illustrative_figures"] == _illustrative_refs(doc) > 0
    assert _banner(SHIPPED.out("final"))


# --- 6. sources ---------------------------------------------------------------------------------------------


def test_markdown_sources_are_the_json_refs_and_each_line_names_its_source(small: Workspace):
    doc = small.doc("final")
    check_sources(small.root, doc)
    text = small.out("final")
    body = text.split("## Annex D. Sources\n")[1]
    prefix = re.search(r"Files are under (\S+)\.", body).group(1)  # type: ignore[union-attr]
    listed: list[str] = []
    for line in body.splitlines():
        if not line.startswith("- "):
            continue
        _source, _, refs = line[2:].rpartition(": ")
        for part in refs.split("; "):
            file, _, lines = part.partition(" ")
            for span in lines.split(", "):
                first, _, last = span.partition("-")
                listed += [f"{prefix}{file}:{n}" for n in range(int(first), int(last or first) + 1)]
    assert sorted(listed) == sorted(r for g in doc["sources"] for r in g["refs"])


def test_shipped_sources_hold_the_figures():
    doc = SHIPPED.doc("final")
    cited = check_sources(ROOT, doc)
    held = by_series(cited)
    checked = 0
    for g in doc["goals"]:
        for b in g["benchmarks"]:
            # each member's latest figure is on a cited line of its file for that year
            for row in b["table"]:
                if row["country"] == "ASEAN":
                    continue
                for ind, c in zip((i["id"] for i in b["indicators"]), row["cells"], strict=True):
                    if c is None or c["value"] is None or c["dimensions"]:  # headline breakdowns: totals only here
                        continue
                    assert held.get((row["country"], c["year"], ind)) == [pytest.approx(c["value"])], (row, ind)
                    checked += 1
            # each charted regional figure is the sum of the cited lines of the covered members
            chart = b["chart"]
            if chart is None:
                continue
            of_chart = by_series(cited, chart["dimensions"])
            for year, value in zip(chart["years"], chart["values"], strict=True):
                parts = [of_chart.get((code, year, chart["indicator"]), []) for code in chart["coverage"]]
                assert all(len(p) == 1 for p in parts), (b["id"], year, parts)
                assert sum(p[0] or 0 for p in parts) == pytest.approx(value), (b["id"], year)
                checked += 1
    assert checked > 100


# --- 7. the command line ------------------------------------------------------------------------------------


def test_annual_year_outside_the_plan_is_a_usage_error():
    result = SHIPPED.run("review", "annual", "--year", "2016")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no annual review in 2016" in result.stderr and "2009" in result.stderr and "2015" in result.stderr
    assert "Traceback" not in result.output


def test_midterm_takes_its_year_from_the_plan():
    result = SHIPPED.run("review", "midterm", "--year", "2012")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "comes from the plan" in result.stderr


def test_annual_without_a_year_is_the_latest_with_figures(small: Workspace):
    assert small.doc("annual")["review"] == {
        "kind": "annual",
        "title": "Annual review 2012",
        "year": 2012,
        "data_year": 2012,
    }


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_output_file_is_written_atomically(small: Workspace, tmp_path: Path, fmt: str):
    out = tmp_path / f"review.{fmt}"
    out.write_text("old contents\n", encoding="utf-8")
    result = small.run("review", "final", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_bytes().decode("utf-8") == small.out("final", "--format", fmt)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # replaced, no temporary file left


def test_output_into_a_missing_folder_exits_1_and_leaves_nothing(small: Workspace, tmp_path: Path):
    result = small.run("review", "final", "-o", str(tmp_path / "missing" / "review.md"))
    assert result.exit_code == 1
    assert result.stdout == "" and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [("final",), ("final", "--format", "json"), ("annual", "--year", "2011")])
def test_runs_are_byte_identical(small: Workspace, tmp_path: Path, args: tuple[str, ...]):
    first = small.run("review", *args)
    again = small.run("review", *args)
    elsewhere = Workspace(copy_fixture(tmp_path / "other")).run("review", *args)  # another folder, same bytes
    assert first.exit_code == again.exit_code == elsewhere.exit_code == 0
    assert first.stdout_bytes == again.stdout_bytes == elsewhere.stdout_bytes


def test_json_parses_and_mirrors_the_markdown(small: Workspace):
    doc = json.loads(small.out("final", "--format", "json"))
    assert doc["format_version"] == 1
    assert set(doc) >= {"review", "plan", "data", "method", "completeness", "goals", "actions", "notes", "sources"}
    text = small.out("final")
    for note in (n for n in doc["notes"] if n["code"] == "report_note"):
        assert _shown(note["text"]) in "".join(
            c.content for t in MD.parse(text) if t.type == "inline" for c in t.children or []
        )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_heading_names_the_commit_inside_a_repository(tmp_path: Path):
    ws = Workspace(copy_fixture(tmp_path / "repo"))

    def git(*args: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env |= {"GIT_CEILING_DIRECTORIES": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}
        cmd = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args]
        return subprocess.run(cmd, cwd=ws.root, env=env, check=True, capture_output=True, text=True).stdout.strip()

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "reports")
    sha = git("rev-parse", "HEAD")
    assert ws.doc("midterm")["data"]["commit"] == sha
    assert f"repository commit {sha};" in ws.out("midterm")
    report = ws.root / "reports" / "AAA" / "2012.csv"
    report.write_text(report.read_text().replace("seized_kg,,12,", "seized_kg,,13,"), encoding="utf-8")
    ws._cache.clear()
    assert ws.doc("midterm")["data"]["commit"] == f"{sha}+dirty"
