"""The cache of checked report files (SPEC 8, rev. 2) never changes a result: every output of every command is the
same byte for byte with the cache off, cold and warm; a changed file is checked again; a corrupt, foreign or
unwritable cache is a miss."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PLAN, SHIPPED_REPORTS, invoke_cli

from aseanwp import cache, checked

OUTPUTS = [
    ("report", "--format", "json"),
    ("report", "--format", "csv"),
    ("report", "--format", "markdown"),
    ("report", "--format", "table"),
    ("report", "--format", "json", "--year", "2011", "--country", "LAO"),
    ("review", "final", "--format", "markdown"),
    ("review", "final", "--format", "json"),
    ("review", "midterm", "--format", "json"),
    ("status", "--format", "json"),
    ("status", "--format", "markdown"),
    ("validate", "--format", "text"),
    ("validate", "--format", "json"),
    ("validate", "--format", "github"),
]


@pytest.fixture()
def folder(cache_folder: Path) -> Path:
    return cache_folder


def run(*args: str, no_cache: bool = False) -> tuple[int, str, str]:
    result = invoke_cli(*(("--no-cache",) if no_cache else ()), *args)
    cache._disabled = False  # --no-cache turns the cache off for the process: here, for that one run
    return result.exit_code, result.stdout, result.stderr


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("checked-*.json"))


@pytest.fixture()
def broken(tmp_path: Path) -> Iterator[Path]:
    """A copy of the shipped data with files that have errors and warnings of many kinds."""
    root = tmp_path / "data"
    shutil.copytree(SHIPPED_REPORTS, root / "reports")
    shutil.copyfile(PLAN, root / "workplan.yaml")
    r = root / "reports"
    (r / "BRN" / "2010.csv").write_text(
        "indicator,value,unit,source,flag,notes\n"
        "opium_poppy_area_ha,1.234,ha,survey,,\n"
        "opium_poppy_area_ha,1,ha,survey,,twice\n"  # duplicate-row naming line 2
        "heroin_seized_kg,28,500,kg,police,,\n"  # row-length
        "cannabis_area_ha,abc,ha,survey,Estimate,\n"  # bad-number
        'joint_operations,3.5,count,"a ""quoted"" source",,"multi\nline note"\n'  # not-whole, on a record of 2 lines
        "treatment_admissions,NA,persons,,,\n"
        "drug_use_prevalence_pct,150,percent,survey,,\n",  # percent-out-of-range
        encoding="utf-8",
    )
    (r / "KHM" / "2012.csv").write_bytes("indicator;value;source\nopium_poppy_area_ha;5;caf\xe9\n".encode("cp1252"))
    rows = "".join(f"unknown_{n},1,s\n" for n in range(250))  # over the per-code cap
    (r / "MYS" / "2013.csv").write_text("indicator,value,source\n" + rows, encoding="utf-8")
    mmr = (r / "MMR" / "2014.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    cells = mmr[1].split(",")
    at = mmr[0].split(",").index("value")
    cells[at] = str(int(cells[at]) * 1000)  # a jump warning, said on both files
    (r / "MMR" / "2014.csv").write_text("".join([mmr[0], ",".join(cells), *mmr[2:]]), encoding="utf-8")
    lao = (r / "LAO" / "2012.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (r / "LAO" / "2012.csv").write_text("".join([lao[0], *lao[1:], lao[1]]), encoding="utf-8")  # a duplicate
    (r / "PHL" / "2015-actions.csv").write_text("action,status\nII.1.8,done\nII.1.8,ongoing\nX.9,ongoing\n")
    yield root


def every_output(plan: Path, extra: tuple[str, ...] = ()) -> dict[tuple[str, ...], tuple[int, str, str]]:
    return {args: run("--plan", str(plan), *extra, *args) for args in OUTPUTS}


@pytest.mark.parametrize("data", ["shipped", "broken"])
def test_every_output_is_the_same_without_the_cache_cold_and_warm(
    folder: Path, broken: Path, data: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = PLAN if data == "shipped" else broken / "workplan.yaml"
    extra = ("--reports", str(plan.parent / "reports"))
    if data == "broken":
        monkeypatch.chdir(broken)  # findings name files relative to the current folder
        extra = ()
    off = {args: run("--plan", str(plan), *extra, *args, no_cache=True) for args in OUTPUTS}
    assert not entries(folder)
    cold = every_output(plan, extra)
    assert len(entries(folder)) == 1
    warm = every_output(plan, extra)
    for args in OUTPUTS:
        assert cold[args] == off[args], args
        assert warm[args] == off[args], args
    if data == "broken":
        codes = {f["code"] for f in json.loads(off[("validate", "--format", "json")][1])["errors"]}
        assert {"duplicate-row", "row-length", "bad-number", "encoding", "unknown-indicator", "bad-status"} <= codes
        warnings = {f["code"] for f in json.loads(off[("validate", "--format", "json")][1])["warnings"]}
        assert "jump" in warnings
        assert off[("report", "--format", "json")][0] == 1


def test_given_files_and_skip_invalid_agree_too(folder: Path, broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(broken)
    calls = [
        ("validate", "reports/BRN/2010.csv", "reports/LAO"),
        ("validate", "--format", "github", "reports/MYS/2013.csv"),
        ("report", "--skip-invalid", "--format", "json"),
        ("review", "annual", "--year", "2013", "--skip-invalid", "--format", "json"),
    ]
    off = [run("--plan", "workplan.yaml", *c, no_cache=True) for c in calls]
    for _ in range(2):
        assert [run("--plan", "workplan.yaml", *c) for c in calls] == off


def test_a_changed_file_is_checked_again(folder: Path, broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(broken)
    first = run("--plan", "workplan.yaml", "validate", "--format", "json")
    assert first[0] == 1
    path = Path("reports/BRN/2010.csv")
    path.write_text("indicator,value,source\nopium_poppy_area_ha,12,survey\n", encoding="utf-8")
    again = run("--plan", "workplan.yaml", "validate", "--format", "json")
    fresh = run("--plan", "workplan.yaml", "validate", "--format", "json", no_cache=True)
    assert again == fresh and again != first
    assert not any(f["file"] == "reports/BRN/2010.csv" for f in json.loads(again[1])["errors"])
    # a change to the plan is a new entry: nothing checked against the old plan is reused
    plan = Path("workplan.yaml")
    plan.write_text(plan.read_text(encoding="utf-8").replace("jump_factor: 10", "jump_factor: 2"), encoding="utf-8")
    after = run("--plan", "workplan.yaml", "validate", "--format", "json")
    assert after == run("--plan", "workplan.yaml", "validate", "--format", "json", no_cache=True)
    assert len(entries(folder)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: "[]",
        lambda text: text.replace('"rows": ', '"rows": "x", "was": '),
        lambda text: text.replace('"events": [["v", ', '"events": [["v", "x", '),
        lambda text: text.replace('"findings": [', '"findings": [[1, 2], '),
        lambda text: text.replace('"source": ', '"source": 5, "was": '),
        lambda text: text.replace(', "i", [', ', "i", [1, ').replace('["i", [', '["i", [99999, '),
        lambda text: text.replace("]]]", "], [1, 2, 3, 4, 5, 6]]]"),
        lambda text: json.dumps({**json.loads(text), "aseanwp": "0.0.1"}),
    ],
)
def test_a_corrupt_or_foreign_entry_is_a_miss(folder: Path, broken: Path, monkeypatch: pytest.MonkeyPatch, damage):
    monkeypatch.chdir(broken)
    calls = [("validate", "--format", "json"), ("report", "--skip-invalid", "--format", "json")]
    off = [run("--plan", "workplan.yaml", *c, no_cache=True) for c in calls]
    assert [run("--plan", "workplan.yaml", *c) for c in calls] == off
    (entry,) = entries(folder)
    text = entry.read_text(encoding="utf-8")
    assert damage(text) != text
    entry.write_text(damage(text), encoding="utf-8")
    assert [run("--plan", "workplan.yaml", *c) for c in calls] == off


def test_an_unwritable_cache_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ASEANWP_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(cache, "_disabled", False)
    off = run("--plan", str(PLAN), "report", "--format", "json", no_cache=True)
    assert run("--plan", str(PLAN), "report", "--format", "json") == off


def test_off_writes_nothing(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("--plan", str(PLAN), "report", no_cache=True)
    monkeypatch.setenv("ASEANWP_NO_CACHE", "1")
    run("--plan", str(PLAN), "status")
    assert not folder.exists()


def test_a_file_written_while_it_was_checked_is_not_remembered(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checked, "_unchanged", lambda fd, before: False)
    run("--plan", str(PLAN), "validate")
    assert not entries(folder)


def test_large_files_and_odd_paths_are_left_to_the_checks(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checked, "MAX_CACHED", 10)  # every shipped file is larger
    off = run("--plan", str(PLAN), "validate", "--format", "json", no_cache=True)
    assert run("--plan", str(PLAN), "validate", "--format", "json") == off
    assert not entries(folder)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_not_read_by_the_cache(folder: Path, broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(broken)
    os.unlink("reports/BRN/2011.csv")
    os.mkfifo("reports/BRN/2011.csv")
    code, out, _ = run("--plan", "workplan.yaml", "validate", "--format", "json")
    assert code == 1 and "not a regular file" in out


def test_old_entries_are_removed_beyond_the_most_recently_used(
    folder: Path, broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checked, "KEEP", 2)
    monkeypatch.chdir(broken)
    plan = Path("workplan.yaml")
    text = plan.read_text(encoding="utf-8")
    for factor in (11, 12, 13):  # three plans: three entries, of which the two most recent are kept
        plan.write_text(text.replace("jump_factor: 10", f"jump_factor: {factor}"), encoding="utf-8")
        run("--plan", "workplan.yaml", "validate")
    assert len(entries(folder)) == 2
    off = run("--plan", "workplan.yaml", "validate", "--format", "json", no_cache=True)
    assert run("--plan", "workplan.yaml", "validate", "--format", "json") == off
