"""The CI gate itself: the workflow and the composite action run no code from file names or inputs, are pinned,
and do what the README says on a real git history (added, renamed, deleted reports; hostile names)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import PLAN, ROOT

sys.path.insert(0, str(ROOT / "tools"))
import lint_workflows  # noqa: E402

WORKFLOW = ROOT / ".github" / "workflows" / "validate-reports.yml"
ACTION = ROOT / "action.yml"
SCRIPT = ROOT / "tools" / "validate_change.sh"


def steps(path: Path) -> list[dict[str, object]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "runs" in doc:
        return list(doc["runs"]["steps"])
    return [s for job in doc["jobs"].values() for s in job["steps"]]


def test_no_expression_is_pasted_into_a_script() -> None:
    assert lint_workflows.expressions_in_scripts() == []
    blocks = [b for p in (WORKFLOW, ACTION) for b in lint_workflows.run_blocks(p)]
    assert len(blocks) == 3  # the action's three scripts; the workflow has none of its own


def test_the_expression_check_sees_an_injection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: aseanwp validate ${{ steps.changed.outputs.files }}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(lint_workflows, "WORKFLOWS", [bad])
    monkeypatch.setattr(lint_workflows, "ROOT", tmp_path)
    monkeypatch.setattr(lint_workflows, "ACTION", bad)
    assert (
        lint_workflows.expressions_in_scripts()
        == ["bad.yml: jobs.a: step 1: a ${{ }} expression in a run: script; pass it through env:"] * 2
    )


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    for path in (WORKFLOW, ACTION):
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\s*-?\s*uses:\s*(\S+)(.*)", line)
            if m is None or m.group(1) == "./":
                continue
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", m.group(1)), line
            assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", m.group(2)), line


def test_checkout_keeps_no_credentials_and_the_workflow_uses_the_action() -> None:
    (checkout, validate) = steps(WORKFLOW)
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert validate["uses"] == "./"
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert doc["permissions"] == {"contents": "read"}
    assert "pull_request_target" not in doc[True]  # PyYAML reads the key `on` as True


def test_action_inputs_reach_the_script_through_env() -> None:
    validate = steps(ACTION)[-1]
    env = validate["env"]
    assert isinstance(env, dict)
    assert env["PLAN"] == "${{ inputs.plan }}" and env["STRICT"] == "${{ inputs.strict }}"
    assert validate["run"] == 'bash "$GITHUB_ACTION_PATH/tools/validate_change.sh"'


# --- the action's script on a real history --------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, str]:
    """A reports repository with one commit (the base): data/workplan.yaml and three reports."""
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.skip("git and bash are needed")
    repo = tmp_path / "repo"
    (repo / "data" / "reports" / "MMR").mkdir(parents=True)
    shutil.copyfile(PLAN, repo / "data" / "workplan.yaml")
    for year, value in ((2008, 28500), (2009, 31700), (2010, 38100)):
        (repo / "data" / "reports" / "MMR" / f"{year}.csv").write_text(
            f"indicator,value,source\nopium_poppy_area_ha,{value},UNODC\n", encoding="utf-8"
        )
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    return repo, git(repo, "rev-parse", "HEAD").strip()


def run_script(repo: Path, base: str, **env: str) -> subprocess.CompletedProcess[str]:
    aseanwp = shutil.which("aseanwp") or str(Path(sys.executable).parent / "aseanwp")
    full = {k: v for k, v in os.environ.items() if not k.startswith(("ASEANWP", "GITHUB_"))}
    full.update({"ASEANWP": aseanwp, "BASE": base, "STRICT": "true", "CHECK_ALL": "false", **env})
    return subprocess.run(["bash", str(SCRIPT)], cwd=repo, env=full, capture_output=True, text=True, check=False)


def test_hostile_names_renames_and_deletions(history: tuple[Path, str]) -> None:
    repo, base = history
    mmr = repo / "data" / "reports" / "MMR"
    (mmr / "$(touch PWNED).csv").write_text("x\n", encoding="utf-8")
    (mmr / "2015 (1).csv").write_text("x\n", encoding="utf-8")
    git(repo, "mv", "data/reports/MMR/2010.csv", "data/reports/MMR/2011.csv")  # a rename
    git(repo, "rm", "-q", "data/reports/MMR/2009.csv")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")
    result = run_script(repo, base)
    assert not (repo / "PWNED").exists()
    assert result.returncode == 1, result.stderr
    titles = sorted(re.findall(r"file=([^,]+),(?:line=\d+,)?title=aseanwp ([\w-]+)", result.stdout))
    assert titles == [
        ("data/reports/MMR/$(touch PWNED).csv", "bad-path"),
        ("data/reports/MMR/2009.csv", "deleted-report"),
        ("data/reports/MMR/2010.csv", "deleted-report"),
        ("data/reports/MMR/2015 (1).csv", "bad-path"),
    ]  # the new name 2011.csv is a valid report
    assert "2011.csv" not in result.stdout


def test_a_clean_change_passes_and_a_slip_in_a_revised_year_fails(history: tuple[Path, str]) -> None:
    repo, base = history
    report = repo / "data" / "reports" / "MMR" / "2011.csv"
    report.write_text("indicator,value,source\nopium_poppy_area_ha,43600,UNODC\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "2011")
    ok = run_script(repo, base, CHECK_ALL="true")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    revised = repo / "data" / "reports" / "MMR" / "2008.csv"
    revised.write_text("indicator,value,source\nopium_poppy_area_ha,28.500,UNODC\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "revise 2008")
    slip = run_script(repo, base)
    assert slip.returncode == 1
    assert "::warning file=data/reports/MMR/2008.csv,line=2,title=aseanwp jump::" in slip.stdout


@pytest.mark.parametrize("base", ["1" * 40, "--output=PWNED", "HEAD;touch PWNED"])
def test_a_missing_or_odd_base_says_how_to_fix_it(history: tuple[Path, str], base: str) -> None:
    repo, _ = history
    result = run_script(repo, base)
    assert result.returncode == 1
    assert result.stdout == (
        "::error title=aseanwp::the base commit is not in the checkout: use actions/checkout with fetch-depth: 0\n"
    )
    assert not (repo / "PWNED").exists()


# --- the linters, where they are installed ---------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("zizmor") is None, reason="zizmor is not installed")
def test_zizmor_finds_nothing() -> None:
    assert lint_workflows.zizmor() is True


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_shellcheck_finds_nothing() -> None:
    assert lint_workflows.shellcheck() is True


@pytest.mark.skipif(shutil.which("check-jsonschema") is None, reason="check-jsonschema is not installed")
def test_the_workflow_and_action_fit_githubs_schemas() -> None:
    assert lint_workflows.schemas() is True


# --- the pre-commit hooks ----------------------------------------------------------------------------------------

HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}


def hook_files(hook: dict[str, object]) -> list[str]:
    """The shipped files the hook's `files` pattern picks, as pre-commit passes them."""
    pattern = re.compile(str(hook["files"]))
    tracked = [p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*") if p.is_file()]
    return sorted(p for p in tracked if pattern.search(p))


@pytest.mark.parametrize(("hook_id", "exit_code"), [("aseanwp-validate", 0), ("aseanwp-validate-strict", 1)])
def test_hooks_on_the_shipped_data(hook_id: str, exit_code: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pre-commit run --all-files`: the errors-only hook passes on the shipped data (its warnings are real
    gaps); the strict one, for fresh submissions, fails on them."""
    from conftest import invoke_cli

    hook = HOOKS[hook_id]
    assert hook["pass_filenames"] is True and hook["language"] == "python"
    command, *args = str(hook["entry"]).split()
    assert command == "aseanwp"
    monkeypatch.chdir(ROOT)
    files = hook_files(hook)
    assert "data/workplan.yaml" in files and len(files) > 100
    result = invoke_cli(*args, *files)
    assert result.exit_code == exit_code, result.stderr


@pytest.mark.skipif(
    shutil.which("pre-commit") is None or shutil.which("git") is None, reason="pre-commit is not installed"
)
def test_pre_commit_try_repo_passes_on_the_shipped_data(tmp_path: Path) -> None:
    """The done-when of the hooks: `pre-commit try-repo . aseanwp-validate --all-files` in this repository."""
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": os.environ.get("PRE_COMMIT_HOME", str(Path.home() / ".cache" / "pre-commit")),
    }
    env = {k: v for k, v in env.items() if not k.startswith("ASEANWP")}
    result = subprocess.run(
        ["pre-commit", "try-repo", ".", "aseanwp-validate", "--all-files"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"aseanwp validate\.+Passed", result.stdout)
