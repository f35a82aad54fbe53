"""The progress line (SPEC 8): on a terminal's stderr only, after about a second of work, erased at the end; nothing
on a pipe, with NO_COLOR or TERM=dumb; rich imported only when the line shows. No timing is asserted: the clock
is the test's."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from conftest import PLAN, invoke_cli

from aseanwp import meter


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock()
    monkeypatch.setattr(meter, "clock", c)
    monkeypatch.setattr(meter.Meter, "refresh", False)  # drawn only when the work says so: no thread
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    yield c


def test_the_line_shows_after_a_second_counts_the_work_and_is_erased(clock: Clock) -> None:
    term = Terminal()
    m = meter.Meter("Checking report files", 8000, stream=term)
    for _ in range(100):
        m.advance()
    clock.now += 0.9
    m.rows(24)
    assert term.getvalue() == "" and m._progress is None  # not yet: rich is not even imported for it
    clock.now += 0.2
    m.advance()
    shown = term.getvalue()
    assert "Checking report files: 101 of 8,000 files, 24 rows" in shown and "0:00:01" in shown
    clock.now += 0.05
    m.advance()
    assert term.getvalue() == shown  # redrawn at most every EVERY seconds
    clock.now += 0.2
    m.step("Building the review")
    assert "Building the review" in term.getvalue()[len(shown) :]
    before = len(term.getvalue())
    m.close()
    assert "\x1b[" in term.getvalue()[before:]  # the line erased (a transient line)
    m.advance()
    assert len(term.getvalue()) > before and m._progress is None


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}, {}])
def test_nothing_on_a_pipe_with_no_color_or_a_dumb_terminal(
    clock: Clock, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    stream = Terminal() if env else io.StringIO()  # no env: the stream is not a terminal
    m = meter.Meter("Checking", 10, stream=stream)
    clock.now += 5
    for _ in range(10):
        m.advance()
        m.rows(1000)
    m.step("Writing")
    m.close()
    assert stream.getvalue() == "" and m._progress is None


def test_nested_work_shares_the_line_and_done_erases_it(clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    with meter.measuring("Reading the reports") as outer:
        with meter.measuring("Checking report files", 3) as inner:
            assert inner is outer
            inner.advance()
            meter.rows(10)
            clock.now += 2
            inner.advance()
            assert "Checking report files: 2 of 3 files, 10 rows" in term.getvalue()
        assert (outer.what, outer.total, outer.read) == ("Reading the reports", None, 0)
        meter.step("Measuring progress to 2015")
        assert "Measuring progress to 2015" in term.getvalue()
        meter.done()
        assert outer._progress is None
        end = len(term.getvalue())
        meter.step("Writing")
        assert len(term.getvalue()) == end  # nothing after done()
    assert meter._current is None


def test_a_pipe_gets_nothing_from_a_long_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even when every step counts as long (no delay), stderr that is not a terminal gets no line."""
    monkeypatch.setattr(meter, "DELAY", 0.0)
    for args in (("validate",), ("report", "--format", "json"), ("review", "final"), ("status",)):
        result = invoke_cli("--plan", str(PLAN), *args)
        assert result.exit_code == 0
        assert "Checking" not in result.stderr and "Reading the reports" not in result.stderr
        assert "\x1b" not in result.stderr and "\r" not in result.stderr
    code = (
        "import sys; import aseanwp.meter as m; m.DELAY = 0.0; from aseanwp.cli import main; sys.argv[1:] = "
        f"['--plan', {str(PLAN)!r}, 'review', 'final']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('rich' in sys.modules, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={**os.environ, "TERM": "xterm"})  # fmt: skip
    assert proc.stderr == "False\n"  # nothing drawn, and rich not even imported


def test_help_does_not_import_rich_or_the_heavy_modules() -> None:
    code = (
        "import sys\nfrom aseanwp.cli import main\nsys.argv[1:] = ['--help']\ntry:\n    main()\nexcept SystemExit:\n"
        "    pass\nprint(sorted(m for m in ('rich', 'pydantic', 'yaml') if m in sys.modules), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.stderr == "[]\n"
