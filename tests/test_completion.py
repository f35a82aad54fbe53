"""Shell completion (click's API, as `_ASEANWP_COMPLETE=bash_complete aseanwp` uses it): member codes and
benchmark ids from the plan, review kinds; never an error, whatever the plan holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from conftest import PLAN

from aseanwp.cli import cli

MEMBERS = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]


def complete(args: list[str], incomplete: str) -> list[tuple[str, str | None]]:
    items = ShellComplete(cli, {}, "aseanwp", "_ASEANWP_COMPLETE").get_completions(args, incomplete)
    return [(i.value, i.help) for i in items]


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PLAN.parent.parent)
    monkeypatch.delenv("ASEANWP_PLAN", raising=False)


def test_members_for_country_and_template() -> None:
    assert [v for v, _ in complete(["report", "--country"], "")] == MEMBERS
    assert complete(["report", "--country"], "m") == [("MYS", "Malaysia"), ("MMR", "Myanmar")]
    assert [v for v, _ in complete(["template"], "")] == MEMBERS
    assert complete(["template"], "VN") == [("VNM", "Viet Nam")]


def test_benchmarks() -> None:
    values = [v for v, _ in complete(["report", "--benchmark"], "II.")]
    assert values == ["II.a", "II.b", "II.c", "II.d"]
    ((value, text),) = complete(["report", "--benchmark"], "I.a")
    assert value == "I.a" and text == "Insignificant opium poppy cultivation by 2015"


def test_review_kinds_and_commands() -> None:
    assert [v for v, _ in complete(["review"], "")] == ["annual", "midterm", "final"]
    assert "validate" in [v for v, _ in complete([], "va")]


def test_the_plan_given_on_the_command_line_or_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "members:\n  - {code: TH-10, name: Bangkok}\n  - {code: TH-50, name: Chiang Mai}\n", encoding="utf-8"
    )
    assert complete(["--plan", str(plan), "report", "--country"], "") == [("TH-10", "Bangkok"), ("TH-50", "Chiang Mai")]
    monkeypatch.setenv("ASEANWP_PLAN", str(plan))
    assert [v for v, _ in complete(["template"], "TH")] == ["TH-10", "TH-50"]


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe\x00garbage",
        b"members: [",
        b"members: {code: BRN}\n",
        b"members:\n  - 5\n  - {code: [1]}\n",
        b"a: &a ["
        + b"*a," * 10
        + b"]\n"
        + b"".join(b"b%d: &b%d [*b%d,*b%d,*b%d,*b%d]\n" % (i, i, i - 1, i - 1, i - 1, i - 1) for i in range(1, 30)),
        b"",
    ],
    ids=["not-utf8", "syntax", "mapping", "odd-entries", "alias-bomb", "empty"],
)
def test_a_bad_plan_offers_nothing_and_never_fails(tmp_path: Path, content: bytes) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(content)
    assert complete(["--plan", str(plan), "report", "--country"], "") == []
    assert complete(["--plan", str(tmp_path / "missing.yaml"), "template"], "") == []
    assert complete(["--plan", str(tmp_path), "report", "--benchmark"], "") == []  # a folder


def test_the_environment_variable_drives_bash_completion() -> None:
    """The documented set-up: `eval "$(_ASEANWP_COMPLETE=bash_source aseanwp)"` defines the function that calls
    aseanwp with _ASEANWP_COMPLETE=bash_complete."""
    import os
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "aseanwp"
    if not exe.exists():
        pytest.skip("the aseanwp script is not installed beside this Python")
    env = {**os.environ, "_ASEANWP_COMPLETE": "bash_source"}
    source = subprocess.run([str(exe)], env=env, capture_output=True, text=True, check=False)
    assert source.returncode == 0 and "complete -o nosort -F _aseanwp_completion aseanwp" in source.stdout
    env = {**os.environ, "_ASEANWP_COMPLETE": "bash_complete", "COMP_WORDS": "aseanwp template MM", "COMP_CWORD": "2"}
    got = subprocess.run([str(exe)], env=env, capture_output=True, text=True, check=False)
    assert got.stdout == "plain,MMR\n"
