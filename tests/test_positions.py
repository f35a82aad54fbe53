"""GitHub's ``col=`` is the character position of the cell in its line, not the cell's number in the record."""

from __future__ import annotations

import csv

from conftest import Workspace
from hypothesis import given, settings
from hypothesis import strategies as st

from aseanwp.positions import cell_starts


def github_lines(ws: Workspace, content: str | bytes, rel: str = "BRN/2008.csv") -> list[str]:
    ws.write(rel, content)
    result = ws.invoke("--format", "github", f"reports/{rel}")
    return [line for line in result.stdout.splitlines() if line.startswith("::error")]


def test_col_counts_characters_not_cells(ws: Workspace) -> None:
    (line,) = github_lines(ws, "indicator,value,source\nheroin_seized_kg,-5,UNODC 2009\n")
    assert line.startswith("::error file=reports/BRN/2008.csv,line=2,col=18,title=aseanwp negative-value::")


def test_col_with_semicolons_tabs_and_quoted_cells(ws: Workspace) -> None:
    content = 'indicator;source;value\n"heroin_seized_kg";"a ""b"";c";"-5"\n'
    (line,) = [x for x in github_lines(ws, content) if "negative-value" in x]
    # '"heroin_seized_kg";' is 19 characters, '"a ""b"";c";' 12: the value's opening quote is character 32
    assert ",line=2,col=32," in line
    tabbed = "indicator\tsource\tvalue\nheroin_seized_kg\tx y\t-5\n"
    (line,) = [x for x in github_lines(ws, tabbed) if "negative-value" in x]
    assert ",line=2,col=22," in line


def test_a_bom_is_not_a_character_of_the_line(ws: Workspace) -> None:
    lines = github_lines(ws, "\ufeffindicator,valeu,source\nheroin_seized_kg,5,s\n")
    assert lines[0].startswith("::error file=reports/BRN/2008.csv,line=1,title=aseanwp missing-column::")
    assert lines[1].startswith("::error file=reports/BRN/2008.csv,line=1,col=11,title=aseanwp unknown-column::")


def test_a_cell_after_a_line_break_in_a_quoted_cell_has_no_col(ws: Workspace) -> None:
    content = 'indicator,notes,value,source\nheroin_seized_kg,"two\nlines",-5,s\ncannabis_area_ha,"one",-1,s\n'
    lines = github_lines(ws, content)
    # the record of line 2 goes on to line 3, where its value is: no col rather than a wrong one
    assert [x.split("title=")[0] for x in lines] == [
        "::error file=reports/BRN/2008.csv,line=2,",
        "::error file=reports/BRN/2008.csv,line=4,col=24,",
    ]


def test_col_after_excel_sep_line_and_cr_line_ends(ws: Workspace) -> None:
    (line,) = github_lines(ws, "sep=;\r\r\nindicator;value;source\rcannabis_area_ha;1e3;s\r")
    assert line.startswith("::error file=reports/BRN/2008.csv,line=4,col=18,title=aseanwp bad-number::")


def test_json_has_no_col(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,-5,s\n")
    _, doc = ws.validate_json("reports/BRN/2008.csv")
    assert set(doc["errors"][0]) == {"file", "line", "column", "code", "severity", "message", "hint"}


cells = st.text(alphabet=st.sampled_from('ab ,;\t"é\u200b'), max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(cells, st.booleans()), min_size=1, max_size=6), st.sampled_from([",", ";", "\t"]))
def test_cell_starts_agree_with_the_csv_reader(row: list[tuple[str, bool]], delimiter: str) -> None:
    """A line made of cells, some quoted: the positions are where each cell's text was put."""
    written, expected, at = [], [], 1
    for cell, quote in row:
        if quote or delimiter in cell or cell.startswith('"'):
            cell = '"' + cell.replace('"', '""') + '"'
        written.append(cell)
        expected.append(at)
        at += len(cell) + 1
    line = delimiter.join(written) + "\n"
    assert next(csv.reader([line], delimiter=delimiter)) == [c for c, _ in row] or line == "\n"
    assert cell_starts(line, delimiter) == expected
