"""The CI side of ``validate``: lists of paths as git writes them, and GitHub's job summary."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from aseanwp.findings import Finding


class ListError(Exception):
    """A list of paths that cannot be read (exit code 1)."""


def job_summary(findings: Sequence[Finding], files: int, strict: bool) -> None:
    """Append every finding to GitHub's job summary, when there is one (GITHUB_STEP_SUMMARY)."""
    from aseanwp.findings import render_summary

    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(render_summary(findings, files, strict))
    except OSError as exc:  # the annotations and the exit code still say it all
        click.echo(f"aseanwp: cannot write the job summary {target}: {exc.strerror or exc}", err=True)


def path_list(source: str) -> list[str]:
    """Paths from a file (``-``: standard input), NUL-separated as ``git diff -z`` writes them, or one a line
    when the file holds no NUL (a name may hold anything but NUL, a line break included)."""
    data: bytes
    try:
        if source == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(source, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        raise ListError(f"cannot read the list of paths {source}: {exc.strerror or exc}") from None
    text = os.fsdecode(data)
    parts = text.split("\0") if "\0" in text else text.splitlines()
    return [p for p in parts if p]
