"""Shell completion from the plan: member codes and benchmark ids, read cheaply and never failing.

Imported by the command line at start-up, so it imports nothing heavy until a completion is asked for.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import click

_COMPLETION_MAX_BYTES = 4 * 1024 * 1024  # a plan larger than this is not read for a key press


def _plan_entries(ctx: click.Context, section: str, key: str, label: str) -> list[tuple[str, str]]:
    """(id, label) of each entry of a plan section, read for shell completion: parsed without validation,
    with the YAML loader's bounds, and nothing at all on any problem (a completion never fails)."""
    path = ctx.find_root().params.get("plan_path") or os.environ.get("ASEANWP_PLAN") or "data/workplan.yaml"
    try:
        if os.path.getsize(path) > _COMPLETION_MAX_BYTES:
            return []
        from aseanwp.yamlload import load

        with open(path, encoding="utf-8") as fh:
            data = load(fh.read(), str(path)).data
        entries = data.get(section) if isinstance(data, dict) else None
        return [
            (str(e[key]), " ".join(str(e.get(label) or "").split())[:60])
            for e in entries or []
            if isinstance(e, dict) and isinstance(e.get(key), str)
        ]
    except Exception:  # whatever the plan holds, completion offers nothing rather than failing
        return []


def _completer(section: str, key: str, label: str, upper: bool = False) -> Callable[..., list[Any]]:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        typed = incomplete.upper() if upper else incomplete
        return [
            CompletionItem(value, help=text or None)
            for value, text in _plan_entries(ctx, section, key, label)
            if value.startswith(typed)
        ]

    return complete


complete_member = _completer("members", "code", "name", upper=True)
complete_benchmark = _completer("benchmarks", "id", "text")
