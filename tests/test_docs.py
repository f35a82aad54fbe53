"""The documentation promises what the tool does: the command reference is current, and the README's
examples run as written."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from aseanwp.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def _cli_docs():
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "tools" / "cli_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_command_reference_is_current():
    expected = _cli_docs().render()
    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is stale: run python tools/cli_docs.py"


def test_readme_tour_commands_run(monkeypatch):
    """Every `aseanwp ...` line in the README's tour runs on the shipped data with the exit code it promises."""
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A short tour", 1)[1].split("\n## ", 1)[0]
    lines = [ln[len("$ aseanwp ") :] for ln in tour.splitlines() if ln.startswith("$ aseanwp ")]
    assert len(lines) >= 8
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    for line in lines:
        command, _, comment = line.partition("  #")
        expected = re.search(r"exit (\d+)", comment)
        args = shlex.split(command)
        if "-o" in args:  # write into a scratch place, never into the working tree
            args[args.index("-o") + 1] = str(out / "readme-test.out")
        result = CliRunner().invoke(cli, args, prog_name="aseanwp")
        assert result.exit_code == int(expected.group(1) if expected else 0), (line, result.output)


def test_the_readme_lists_every_workbook_finding_code():
    from aseanwp.findings import WORKBOOK_CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{code}`" in readme for code in WORKBOOK_CODES)


def test_render_markdown_tool_builds_a_github_like_page(tmp_path):
    """tools/render_markdown.py (README, "Reviews"): GitHub's tables, the page's CSS and Mermaid, no raw HTML from
    the Markdown; Chromium itself is only run by hand."""
    spec = importlib.util.spec_from_file_location("render_markdown", ROOT / "tools" / "render_markdown.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    (tmp_path / "github-markdown-css").mkdir()
    (tmp_path / "github-markdown-css" / "github-markdown-light.css").write_text(".markdown-body{}", "utf-8")
    (tmp_path / "mermaid" / "dist").mkdir(parents=True)
    (tmp_path / "mermaid" / "dist" / "mermaid.min.js").write_text("/* mermaid */", "utf-8")
    page = tool.to_html(
        "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n<b>x</b>\n\n```mermaid\nxychart-beta\n```\n", tmp_path, "t.md"
    )
    assert "<table>" in page and "<td>1</td>" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page  # raw HTML is shown as text, as the review never relies on it
    assert 'class="language-mermaid"' in page and "/* mermaid */" in page and ".markdown-body{}" in page
