"""The cache of checked plans (SPEC 8, rev. 2): in the user's cache folder, keyed by the bytes and the version, off with
--no-cache or ASEANWP_NO_CACHE, ignored when corrupt or unwritable, and never changing a result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PLAN, invoke_cli

from aseanwp import cache
from aseanwp.plan import load_plan


@pytest.fixture()
def folder(cache_folder: Path) -> Path:
    return cache_folder


def test_a_checked_plan_is_read_back_from_the_cache_as_the_same_plan(folder: Path):
    fresh = load_plan(PLAN)
    (entry,) = folder.iterdir()
    assert entry.name.startswith("plan-") and entry.suffix == ".json"
    assert json.loads(entry.read_text(encoding="utf-8"))["aseanwp"]
    again = load_plan(PLAN)
    assert again == fresh and again is not fresh
    assert again.indicator("treatment_admissions") == fresh.indicator("treatment_admissions")


def test_a_cached_plan_starts_without_yaml_or_pydantic(folder: Path):
    load_plan(PLAN)
    code = (
        "import sys; from aseanwp.plan import load_plan; load_plan(sys.argv[1]); "
        "print(sorted(m for m in ('yaml', 'pydantic') if m in sys.modules))"
    )
    env = {**os.environ, "ASEANWP_CACHE_DIR": str(folder)}
    out = subprocess.run([sys.executable, "-c", code, str(PLAN)], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"
    env["ASEANWP_NO_CACHE"] = "1"
    out = subprocess.run([sys.executable, "-c", code, str(PLAN)], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "['pydantic', 'yaml']"


def test_a_changed_plan_is_a_new_entry_and_an_invalid_plan_is_never_cached(folder: Path, tmp_path: Path):
    copy = tmp_path / "plan.yaml"
    copy.write_text(PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    load_plan(copy)
    copy.write_text(PLAN.read_text(encoding="utf-8").replace("jump_factor: 10", "jump_factor: 12"), encoding="utf-8")
    assert load_plan(copy).progress.jump_factor == 12
    assert len(list(folder.iterdir())) == 2
    copy.write_text(PLAN.read_text(encoding="utf-8").replace("jump_factor: 10", "jump_factor: 0"), encoding="utf-8")
    result = invoke_cli("--plan", str(copy), "validate")
    assert result.exit_code == 1 and "jump_factor" in result.output
    assert len(list(folder.iterdir())) == 2


@pytest.mark.parametrize("content", ["{not json", '{"aseanwp": "0.0.0", "format": 1, "data": {}}', '{"aseanwp": "X"}',
                                     "[]", '{"data": {"title": 1}}'])  # fmt: skip
def test_a_corrupt_or_foreign_entry_is_ignored(folder: Path, content: str):
    fresh = load_plan(PLAN)
    (entry,) = folder.iterdir()
    entry.write_text(content, encoding="utf-8")
    assert load_plan(PLAN) == fresh
    # a well-formed entry whose data does not fit the plan is ignored too
    from aseanwp import __version__

    entry.write_text(json.dumps({"aseanwp": __version__, "format": cache.FORMAT, "data": {"title": 1}}), "utf-8")
    assert load_plan(PLAN) == fresh


def test_an_unwritable_cache_folder_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ASEANWP_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(cache, "_disabled", False)
    assert load_plan(PLAN).title.startswith("ASEAN Work Plan")
    assert invoke_cli("validate").exit_code == 0


def test_off_with_the_option_or_the_environment(folder: Path, monkeypatch: pytest.MonkeyPatch):
    assert invoke_cli("--no-cache", "validate").exit_code == 0
    assert not folder.exists()
    monkeypatch.setattr(cache, "_disabled", False)
    monkeypatch.setenv("ASEANWP_NO_CACHE", "1")
    assert invoke_cli("validate").exit_code == 0
    assert not folder.exists()


def test_the_folder_follows_the_platforms_convention(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("ASEANWP_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/cache")
    monkeypatch.setattr(sys, "platform", "linux")
    assert cache.folder() == "/x/cache/aseanwp"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", "C:/Users/a/AppData/Local")
    assert cache.folder().replace("\\", "/").endswith("Local/aseanwp/Cache")
