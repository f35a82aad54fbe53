"""The submitter's path: what `validate` says on a pull request's files (strictness, revised years, deletions,
paths given from inside a member's folder, the job summary)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Workspace, all_findings, invoke_cli

BASE = "indicator,value,source\nheroin_seized_kg,10,s\n"
JUMPED = "indicator,value,source\nheroin_seized_kg,10000,s\n"


# --- point 9: --strict says what it does ---------------------------------------------------------------------


def test_strict_with_warnings_says_invalid(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", BASE)
    ws.write("BRN/2009.csv", JUMPED)
    result = ws.invoke("--strict", "reports/BRN/2009.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        "plan and 1 report file checked: 0 errors, 1 warning (invalid: --strict fails on warnings)\n"
    )
    lenient = ws.invoke("reports/BRN/2009.csv")
    assert lenient.exit_code == 0
    assert lenient.stderr == "plan and 1 report file checked: 0 errors, 1 warning (valid)\n"


def test_strict_json_valid_is_false_with_warnings(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", BASE)
    ws.write("BRN/2009.csv", JUMPED)
    strict = ws.invoke("--format", "json", "--strict", "reports/BRN/2009.csv")
    doc = json.loads(strict.stdout)
    assert (strict.exit_code, doc["valid"], doc["strict"], len(doc["warnings"])) == (1, False, True, 1)
    lenient = ws.invoke("--format", "json", "reports/BRN/2009.csv")
    doc = json.loads(lenient.stdout)
    assert (lenient.exit_code, doc["valid"], doc["strict"]) == (0, True, False)


def test_strict_without_findings_is_valid(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", BASE)
    result = ws.invoke("--strict", "reports/BRN/2008.csv")
    assert (result.exit_code, result.stderr) == (0, "plan and 1 report file checked: 0 errors, 0 warnings (valid)\n")


# --- point 8: run inside a member's folder -------------------------------------------------------------------


def test_a_file_named_from_inside_its_member_folder(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ws.write("BRN/2008.csv", BASE)
    ws.write("BRN/2009.csv", JUMPED)
    monkeypatch.chdir(ws.reports / "BRN")
    result = invoke_cli("--plan", "../../workplan.yaml", "validate", "--format", "json", "2009.csv")
    doc = json.loads(result.stdout)
    assert [(f["file"], f["line"], f["code"]) for f in all_findings(doc)] == [("2009.csv", 2, "jump")]
    assert doc["files"] == 1
    assert result.exit_code == 0
    for args in (["2008.csv"], ["./2008.csv"], ["."], ["../BRN/2008.csv"]):
        result = invoke_cli("--plan", "../../workplan.yaml", "validate", "--strict", *args)
        assert "bad-path" not in result.stdout, args


# --- point 2: a finding across files reaches every file it involves ----------------------------------------


def test_a_slip_in_a_revised_earlier_year_fails_strict(ws: Workspace) -> None:
    """28.500 typed for 28,500 in the baseline: the PR touches only 2008.csv, and the gate must fail on it."""
    ws.write("MMR/2008.csv", "indicator,value,source\nopium_poppy_area_ha,28.500,UNODC\n")
    ws.write("MMR/2009.csv", "indicator,value,source\nopium_poppy_area_ha,31700,UNODC\n")
    result = ws.invoke("--strict", "reports/MMR/2008.csv")
    assert result.exit_code == 1
    assert result.stdout == (
        "reports/MMR/2008.csv:2: warning[jump] opium_poppy_area_ha changes 1,112.3 times from 28.5 here to "
        "31,700 in 2009 (reports/MMR/2009.csv:2)\n"
        "    column: value\n"
        "    hint: check the unit (kg or t? tablets or millions?); if the figure is right, note why\n"
    )
    later = ws.invoke("reports/MMR/2009.csv")
    assert later.stdout.startswith(
        "reports/MMR/2009.csv:2: warning[jump] opium_poppy_area_ha changes 1,112.3 times from 28.5 in 2008 to 31,700\n"
    )


def test_a_jump_between_two_given_files_is_said_on_both_lines(ws: Workspace) -> None:
    ws.write("MMR/2008.csv", "indicator,value,source\nheroin_seized_kg,1,s\nopium_poppy_area_ha,28.500,s\n")
    ws.write("MMR/2009.csv", "indicator,value,source\nopium_poppy_area_ha,31700,s\nheroin_seized_kg,1,s\n")
    result = ws.invoke("--format", "github", "reports/MMR")
    assert [line.split("::")[1] for line in result.stdout.splitlines()] == [
        "warning file=reports/MMR/2008.csv,line=3,title=aseanwp jump",
        "warning file=reports/MMR/2009.csv,line=2,title=aseanwp jump",
    ]


def test_a_baseline_emptied_by_a_revision_is_said_on_the_baseline_file(ws: Workspace) -> None:
    ws.write("MMR/2008.csv", "indicator,value,source\nheroin_seized_kg,1,s\nopium_poppy_area_ha,,\n")
    ws.write("MMR/2009.csv", "indicator,value,source\nheroin_seized_kg,1,s\nopium_poppy_area_ha,31700,s\n")
    alone = ws.invoke("--format", "json", "--strict", "reports/MMR/2008.csv")
    doc = json.loads(alone.stdout)
    assert alone.exit_code == 1
    assert [(f["file"], f["line"], f["code"], f["message"]) for f in doc["warnings"]] == [
        (
            "reports/MMR/2008.csv",
            None,
            "missing-baseline",
            "MMR reports opium_poppy_area_ha from reports/MMR/2009.csv line 3 on, but this baseline report gives "
            "no value for it",
        )
    ]
    # with the later file given (or the whole folder), it is said once, where the figure is
    for args in (["reports/MMR/2008.csv", "reports/MMR/2009.csv"], []):
        doc = json.loads(ws.invoke("--format", "json", *args).stdout)
        found = [(f["file"], f["line"]) for f in doc["warnings"] if f["code"] == "missing-baseline"]
        assert found == [("reports/MMR/2009.csv", 3)]


def test_reviews_list_a_jump_once(ws: Workspace) -> None:
    """The data notes of a review say each finding once (on the later file)."""
    from aseanwp.plan import load_plan
    from aseanwp.validation import run

    ws.write("MMR/2008.csv", "indicator,value,source\nopium_poppy_area_ha,28.500,s\n")
    ws.write("MMR/2009.csv", "indicator,value,source\nopium_poppy_area_ha,31700,s\n")
    plan = load_plan(str(ws.plan))
    once = run(plan, str(ws.reports), echoes=False).findings
    assert [(Path(f.file).name, f.code) for f in once if f.code == "jump"] == [("2009.csv", "jump")]


# --- point 3: deleted and renamed reports; lists of paths from git -----------------------------------------


def nul_list(tmp: Path, *names: str) -> str:
    path = tmp / "list"
    path.write_bytes(b"".join(n.encode() + b"\0" for n in names))
    return str(path)


def test_a_deleted_report_is_an_error(ws: Workspace, tmp_path: Path) -> None:
    ws.write("BRN/2008.csv", BASE)
    gone = nul_list(tmp_path, "reports/KHM/2010.csv", "reports/KHM/2011-actions.csv", "reports/README.md")
    result = ws.invoke("--format", "github", "--deleted-from", gone, "reports/BRN/2008.csv")
    assert result.exit_code == 1
    assert result.stdout == (
        "::error file=reports/KHM/2010.csv,title=aseanwp deleted-report::the change deletes (or renames) KHM's "
        "2010 report: its figures would be lost (restore the file and correct it instead; a report is "
        "withdrawn by the secretariat, not by a pull request)\n"
        "::error file=reports/KHM/2011-actions.csv,title=aseanwp deleted-report::the change deletes (or renames) "
        "KHM's 2011 actions file: its figures would be lost (restore the file and correct it instead; a report "
        "is withdrawn by the secretariat, not by a pull request)\n"
    )
    assert result.stderr == "plan and 1 report file checked: 2 errors, 0 warnings (invalid)\n"


def test_a_renamed_report_is_a_deletion_and_a_new_name(ws: Workspace, tmp_path: Path) -> None:
    ws.write("BRN/2008.csv", BASE)
    ws.write("BRN/2008 (1).csv", BASE)  # `git diff --no-renames`: the old name deleted, the new one added
    gone = nul_list(tmp_path, "reports/BRN/2009.csv")
    added = tmp_path / "added"
    added.write_bytes(b"reports/BRN/2008 (1).csv\0")
    result = ws.invoke("--format", "json", "--deleted-from", gone, "--paths-from", str(added))
    doc = json.loads(result.stdout)
    assert [(f["file"], f["code"]) for f in doc["errors"]] == [
        ("reports/BRN/2008 (1).csv", "bad-path"),
        ("reports/BRN/2009.csv", "deleted-report"),
    ]


def test_a_path_deleted_then_added_back_says_nothing(ws: Workspace, tmp_path: Path) -> None:
    ws.write("BRN/2008.csv", BASE)
    result = ws.invoke("--deleted-from", nul_list(tmp_path, "reports/BRN/2008.csv"), "reports/BRN/2008.csv")
    assert result.exit_code == 0 and result.stdout == ""


def test_paths_from_takes_any_name_as_data(ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Names that broke the old workflow's shell: they are only ever paths."""
    names = ["reports/MMR/$(touch PWNED).csv", "reports/MMR/2015 (1).csv", "reports/MMR/a\nb.csv", "reports/MMR/;x"]
    for name in names:
        (ws.root / name).parent.mkdir(parents=True, exist_ok=True)
        (ws.root / name).write_text(BASE, encoding="utf-8")
    ws.write("MMR/2008.csv", BASE)
    result = ws.invoke("--format", "json", "--paths-from", nul_list(tmp_path, *names, "reports/MMR/2008.csv"))
    doc = json.loads(result.stdout)
    assert sorted(f["file"] for f in doc["errors"]) == sorted(names)
    assert {f["code"] for f in doc["errors"]} == {"bad-path"}
    assert doc["files"] == 1
    assert not (ws.root / "PWNED").exists() and not Path("PWNED").exists()


def test_paths_from_skips_readmes_and_hidden_files_as_a_folder_does(ws: Workspace, tmp_path: Path) -> None:
    ws.write("BRN/2008.csv", BASE)
    ws.write("README.md", "# reports\n")
    ws.write("BRN/.gitkeep", "")
    listed = nul_list(tmp_path, "reports/README.md", "reports/BRN/.gitkeep", "reports/BRN/2008.csv")
    result = ws.invoke("--strict", "--paths-from", listed)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "plan and 1 report file checked: 0 errors, 0 warnings (valid)\n"


def test_paths_from_stdin_and_one_a_line(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,-1,s\n")
    ws.write("KHM/2008.csv", "indicator,value,source\nheroin_seized_kg,-1,s\n")
    from click.testing import CliRunner

    from aseanwp.cli import cli

    runner = CliRunner(env={"NO_COLOR": "1", "ASEANWP_PLAN": None, "ASEANWP_REPORTS": None})
    args = ["--plan", str(ws.plan), "validate", "--format", "json", "--paths-from", "-"]
    result = runner.invoke(cli, args, input="reports/BRN/2008.csv\n")
    assert [f["file"] for f in json.loads(result.stdout)["errors"]] == ["reports/BRN/2008.csv"]


def test_an_empty_list_of_changed_files_checks_only_the_plan(ws: Workspace, tmp_path: Path) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,-1,s\n")
    result = ws.invoke("--paths-from", nul_list(tmp_path))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "plan and 0 report files checked: 0 errors, 0 warnings (valid)\n"


def test_an_unreadable_list_is_exit_1(ws: Workspace, tmp_path: Path) -> None:
    result = ws.invoke("--paths-from", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"aseanwp: cannot read the list of paths {tmp_path / 'nowhere'}:")


# --- point 5: the job summary holds every finding ----------------------------------------------------------


def test_job_summary_has_every_finding_as_a_table(ws: Workspace, tmp_path: Path) -> None:
    rows = "".join(f"heroin_seized_kg,{-i - 1},s\n" for i in range(15))
    ws.write("BRN/2008.csv", "indicator,value,source\n" + rows)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = ws.invoke("--format", "github", "reports/BRN/2008.csv", env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### aseanwp validate: plan and 1 report file checked\\: 29 errors")
    table = [line for line in text.splitlines() if line.startswith("| error |")]
    assert len(table) == 29 == result.stdout.count("::error ")  # 15 negative values, 14 duplicate rows
    assert table[0] == (
        "| error | reports/BRN/2008\\.csv | 2 | value | negative\\-value | '\\-1' is negative | "
        "figures are counts or sizes &gt;= 0 |"
    )


def test_job_summary_cells_stay_text(ws: Workspace, tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    nasty = "<i>x</i> | **b** [l](http://e.x) @team #1 `c` \\| $y$"
    ws.write("BRN/2008.csv", f'indicator,value,source\n"{nasty}",5,s\n')
    summary = tmp_path / "summary.md"
    ws.invoke("--format", "github", "reports/BRN/2008.csv", env={"GITHUB_STEP_SUMMARY": str(summary)})
    tokens = MarkdownIt("commonmark").enable("table").parse(summary.read_text(encoding="utf-8"))
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    inline = [t for t in tokens if t.type == "inline"]
    kinds = {c.type for t in inline for c in t.children or []}
    assert kinds <= {"text", "softbreak"}, kinds  # no emphasis, link, code span or HTML
    cells = [t.content for t in inline]
    message = next(c for c in cells if "is not an indicator" in c)
    rendered = "".join(c.content for t in inline if t.content == message for c in t.children or [])
    assert rendered == "'<i>x</i> | **b** [l](http://e.x) @team #1 `c` \\| $y$' is not an indicator of the plan"
    assert sum(1 for t in tokens if t.type == "tr_open") == 2  # the header and one finding: no cell split


def test_no_job_summary_outside_github_format(ws: Workspace, tmp_path: Path) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,-1,s\n")
    summary = tmp_path / "summary.md"
    ws.invoke("reports/BRN/2008.csv", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not summary.exists()
