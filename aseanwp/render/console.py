"""Rendering rich objects to text: colour only for a terminal, never when NO_COLOR is set or output is piped."""

from __future__ import annotations

import io
import os
import shutil
import sys
from typing import Any


def use_colour(to_file: bool) -> bool:
    if to_file or "NO_COLOR" in os.environ:
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def render(*renderables: Any, to_file: bool = False, width: int | None = None) -> str:
    """Render rich objects to a string, styled only when it goes to a colour terminal."""
    from rich.console import Console

    colour = use_colour(to_file)
    if width is None:
        width = shutil.get_terminal_size((120, 40)).columns if colour else 120
    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=colour,
        color_system="standard" if colour else None,
        no_color=not colour,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    for r in renderables:
        console.print(r)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    # rich pads table lines to the width; trailing spaces only make diffs noisy
    return "\n".join(line.rstrip() for line in out.split("\n"))
