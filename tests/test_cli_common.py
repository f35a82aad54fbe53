"""What every command shares (SPEC 3): global options and their environment variables, exit codes for bugs and
interrupts, colour rules, and the CI files offered to submitters."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import aseanwp
from aseanwp import engine
from aseanwp.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, prog_name="aseanwp")


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"aseanwp, version {aseanwp.__version__}\n"


def test_environment_variables_name_the_plan_and_reports(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data" / "reports").rename(tmp_path / "elsewhere")
    env = {"ASEANWP_PLAN": str(tmp_path / "data" / "workplan.yaml"), "ASEANWP_REPORTS": str(tmp_path / "elsewhere")}
    result = invoke("validate", env=env)
    assert result.exit_code == 0, result.output
    assert "110 report files checked" in result.stderr


def test_reports_default_to_the_folder_beside_the_plan(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data" / "reports" / "MMR" / "2015.csv").write_text("indicator,value,source\nno_such_thing,1,s\n")
    result = invoke("--plan", str(tmp_path / "data" / "workplan.yaml"), "validate", "--format", "json")
    assert result.exit_code == 1
    assert "unknown-indicator" in result.stdout


@pytest.mark.parametrize("command", [["report"], ["review", "final"], ["status"], ["plan"]])
def test_a_missing_plan_is_invalid_input(tmp_path, command):
    result = invoke("--plan", str(tmp_path / "nowhere.yaml"), *command)
    assert result.exit_code == 1
    assert "does not exist" in result.stderr and "Traceback" not in result.output


def test_a_missing_reports_folder_is_invalid_input(tmp_path):
    result = invoke("--plan", str(ROOT / "data" / "workplan.yaml"), "--reports", str(tmp_path / "none"), "report")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


def test_an_internal_error_is_one_line_and_exit_3(monkeypatch):
    monkeypatch.setattr(engine, "compute", _boom)
    result = invoke("--plan", str(ROOT / "data" / "workplan.yaml"), "report")
    assert result.exit_code == 3
    assert result.stderr.strip().splitlines() == [
        "aseanwp: internal error (a bug, please report it): RuntimeError: boom; run with --debug for the traceback"
    ]


def test_debug_shows_the_traceback(monkeypatch):
    monkeypatch.setattr(engine, "compute", _boom)
    result = invoke("--debug", "--plan", str(ROOT / "data" / "workplan.yaml"), "report")
    assert result.exit_code == 3
    assert "Traceback" in result.stderr and "RuntimeError: boom" in result.stderr


def test_interrupt_is_exit_130_without_traceback(monkeypatch):
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "compute", interrupted)
    result = invoke("--plan", str(ROOT / "data" / "workplan.yaml"), "report")
    assert result.exit_code == 130
    assert result.stderr.strip() == "aseanwp: interrupted"  # after the newline click writes on Ctrl-C


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    from aseanwp.render import console

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert console.use_colour(to_file=False)
    assert not console.use_colour(to_file=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not console.use_colour(to_file=False)


def test_piped_output_has_no_escape_codes():
    result = invoke("--plan", str(ROOT / "data" / "workplan.yaml"), "report")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout


def test_commands_are_listed_in_the_order_of_the_work():
    help_text = invoke("--help").stdout
    listed = [line.split()[0] for line in help_text.split("Commands:", 1)[1].strip().splitlines()]
    assert listed == ["validate", "import", "report", "review", "status", "template", "plan", "schema"]


def test_the_submitters_workflow_runs_validate_for_github():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "validate-reports.yml").read_text())
    steps = workflow["jobs"]["validate"]["steps"]
    assert steps[-1]["uses"] == "./"  # the composite action: action.yml, tools/validate_change.sh
    script = (ROOT / "tools" / "validate_change.sh").read_text()
    assert 'validate --format github "${strict[@]}"' in script
    # the workflow triggers on pull requests touching data/
    assert workflow[True]["pull_request"]["paths"] == ["data/**"]  # PyYAML reads the key `on` as True


def test_the_pre_commit_hooks_validate():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["entry"]) for h in hooks] == [
        ("aseanwp-validate", "aseanwp validate"),
        ("aseanwp-validate-strict", "aseanwp validate --strict"),
    ]
    # a hook passes the plan file among the changed files: validate accepts it
    result = invoke(
        "--plan",
        str(ROOT / "data" / "workplan.yaml"),
        "validate",
        "--strict",
        str(ROOT / "data" / "workplan.yaml"),
        str(ROOT / "data" / "reports" / "MMR" / "2012.csv"),
    )
    assert result.exit_code == 0, result.output


def test_paths_outside_the_current_folder_are_shown_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found trying the tool: `--reports /nowhere` was reported as '../../nowhere'."""
    from aseanwp.findings import display_path

    inside = tmp_path / "here"
    inside.mkdir()
    monkeypatch.chdir(inside)
    assert display_path(inside / "reports" / "MMR" / "2015.csv") == "reports/MMR/2015.csv"
    assert display_path(tmp_path / "elsewhere.csv") == str(tmp_path / "elsewhere.csv").replace("\\", "/")
    assert display_path("/nowhere") == "/nowhere"
