"""What every command shares: exit codes (SPEC 2.4) for every way a run can end, the context of paths and the
loaded plan, writing output atomically, and the options and checks several commands take."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from aseanwp.findings import Finding
    from aseanwp.plan import Plan
    from aseanwp.validation import Outcome

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class Failure(click.ClickException):
    """Invalid input: a one-line message on stderr and exit code 1."""

    exit_code = EXIT_INVALID

    def show(self, file: Any = None) -> None:
        click.echo(f"aseanwp: {self.message}", err=True)


class Group(click.Group):
    """The top-level group: maps every way a run can end onto SPEC 2.4's exit codes."""

    ORDER = ("validate", "import", "report", "review", "status", "template", "plan", "schema")

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Commands in the order of the work: check, measure, write up, then the helpers."""
        return sorted(self.commands, key=lambda c: (self.ORDER.index(c) if c in self.ORDER else len(self.ORDER), c))

    def invoke(self, ctx: click.Context) -> Any:
        # The cyclic garbage collector is paused for the whole command, not only while rows stream past (see
        # validation.collector_paused): a review holds a million small objects and makes no cycles worth
        # collecting in its short life, and each full collection walked all of them again (bench/report_1000.py:
        # the completeness grid of 1,000 units took 1.6 s with it, 0.4 s without).
        enabled = gc.isenabled()
        gc.disable()
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (`aseanwp report | head -1`): that is success. Handled here because click's
            # own main() would turn it into exit 1.
            _quiet_pipe()
            raise click.exceptions.Exit(EXIT_OK) from None
        finally:
            if enabled:
                gc.enable()

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.exceptions.Abort:
            click.echo("aseanwp: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except KeyboardInterrupt:
            click.echo("aseanwp: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            _quiet_pipe()
            sys.exit(EXIT_OK)
        except OSError as exc:  # the machine, not the program: standard output on a full disk, a closed stream
            _output_failed(exc)
        except Exception as exc:  # a bug: one line, the traceback only with --debug
            if _debug(args, kwargs):
                import traceback

                traceback.print_exc()
            click.echo(
                f"aseanwp: internal error (a bug, please report it): {type(exc).__name__}: {exc}"
                + ("" if _debug(args, kwargs) else "; run with --debug for the traceback"),
                err=True,
            )
            sys.exit(EXIT_BUG)
        try:
            if sys.stdout is not None:
                sys.stdout.flush()
        except BrokenPipeError:
            _quiet_pipe()
        except OSError as exc:
            _output_failed(exc)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


def _output_failed(exc: OSError) -> NoReturn:
    """An input/output error outside the reports (those are findings): exit 1 with the system's reason."""
    _quiet_pipe()  # what is still buffered for stdout must not fail again at exit
    with contextlib.suppress(OSError, ValueError):
        click.echo(f"aseanwp: cannot read or write: {exc.strerror or exc}", err=True)
    sys.exit(EXIT_INVALID)


def _debug(args: Sequence[Any], kwargs: dict[str, Any]) -> bool:
    """Whether --debug was given (read from the arguments: the failure may come before click parsed them)."""
    argv = kwargs.get("args") or (args[0] if args and args[0] is not None else None) or sys.argv[1:]
    return "--debug" in argv


def _quiet_pipe() -> None:
    # The reader went away (`aseanwp report | head -1`) or the disk is full: point stdout at devnull so the
    # interpreter's own flush at exit does not complain again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class Context:
    """What every command shares: where the plan and reports are, and the plan once loaded."""

    def __init__(
        self, plan_path: str, reports: str | None, debug: bool, plan_env: bool = False, reports_env: bool = False
    ) -> None:
        self.plan_path = plan_path
        self.reports = reports or os.path.join(os.path.dirname(plan_path) or ".", "reports")
        self.debug = debug
        self._plan: Plan | None = None
        # where a path that fails came from, when it is not on the command line: a variable set long ago
        # in a shell profile is the last place a person looks
        self.plan_origin = " (from the environment variable ASEANWP_PLAN)" if plan_env else ""
        if reports_env:
            self.reports_origin = " (from the environment variable ASEANWP_REPORTS)"
        elif reports is None and plan_env:
            self.reports_origin = " (beside the plan named by the environment variable ASEANWP_PLAN)"
        else:
            self.reports_origin = ""

    def input_failure(self, exc: Exception) -> Failure:
        """A missing reports folder, said with where its path came from."""
        return Failure(str(exc) + self.reports_origin)

    def plan_findings(self, findings: list[Finding]) -> list[Finding]:
        """The plan's findings; a plan file that cannot be read says where its path came from."""
        if not self.plan_origin:
            return findings
        import dataclasses

        return [
            dataclasses.replace(f, hint="the path comes from ASEANWP_PLAN: correct the variable or unset it")
            if f.code == "unreadable" and f.line is None
            else f
            for f in findings
        ]

    def plan(self) -> Plan:
        """The validated plan; its findings go to stderr and end the command with exit 1."""
        if self._plan is None:
            from aseanwp.findings import render_text
            from aseanwp.plan import PlanError, load_plan

            try:
                self._plan = load_plan(self.plan_path)
            except PlanError as exc:
                click.echo(render_text(self.plan_findings(exc.findings)), err=True, nl=False)
                raise Failure(
                    f"the plan {self.plan_path}{self.plan_origin} is not valid (see `aseanwp validate`)"
                ) from None
        return self._plan

    def validate(self, skip_invalid: bool, collect: Any, warnings: bool = True) -> Outcome:
        """Validate every report before computing (``report``, ``review``, ``status``); ``warnings=False`` when
        only the errors matter."""
        from aseanwp.findings import render_text
        from aseanwp.textsafe import clean
        from aseanwp.validation import InputError, run

        try:
            outcome = run(self.plan(), self.reports, (), collect, warnings, echoes=False)
        except InputError as exc:
            raise self.input_failure(exc) from None
        if outcome.errors:
            errors = [f for f in outcome.findings if f.severity == "error"]
            if not skip_invalid:
                click.echo(render_text(errors), err=True, nl=False)
                raise Failure(
                    f"{len(errors)} error(s) in the reports: fix them, or leave those files out with --skip-invalid"
                )
            for file in sorted(outcome.invalid):
                click.echo(f"aseanwp: left out (invalid): {clean(file)}", err=True)
        return outcome


def same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def write(data: str, output: str | None) -> None:
    from aseanwp import meter
    from aseanwp.output import OutputError, emit

    meter.done()  # the progress line (if any) is erased before the output, which may go to the same terminal
    if output is not None and output != "-":
        check_output(output, inputs_too=True)
    try:
        emit(data, output)
    except OutputError as exc:
        raise Failure(str(exc)) from None


def check_output(output: str, inputs_too: bool) -> None:
    """Refuse an -o that names no file, names a folder, or (``inputs_too``) is the plan or lies in the reports
    folder: a report written over Myanmar's 2015 figures, or a review over the plan, would lose the inputs."""
    if not output.strip():
        usage("-o needs a file name")
    if output.endswith(("/", os.sep)) or os.path.isdir(output):
        raise Failure(f"{output} is a folder; give a file name")
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_object(Context) if ctx is not None else None
    if not inputs_too or obj is None:
        return
    target = os.path.realpath(output)
    if target == os.path.realpath(obj.plan_path):
        raise Failure(f"{output} is the plan file; write the output somewhere else")
    reports = os.path.realpath(obj.reports)
    try:
        inside = os.path.commonpath([target, reports]) == reports
    except ValueError:  # different drives (Windows)
        inside = False
    if inside:
        raise Failure(f"{output} is inside the reports folder {obj.reports}; write the output somewhere else")


def usage(message: str) -> NoReturn:
    raise click.UsageError(message)


def format_option(*choices: str) -> Callable[[F], F]:
    """``--format`` with the given choices, the first being the default."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help="Output format."
    )


OUTPUT = click.option(
    "-o", "--output", metavar="FILE", default=None, help="Write to FILE (atomically) instead of stdout."
)


SKIP_INVALID = click.option(
    "--skip-invalid",
    is_flag=True,
    help="Leave invalid report files out (listed on stderr) instead of stopping.",
)


def check_year(plan: Plan, year: int | None) -> None:
    if year is not None and year not in plan.years:
        usage(f"year {year} is outside the plan's years {plan.baseline_year}-{plan.period.end}")


def check_codes(plan: Plan, countries: Sequence[str], benchmarks: Sequence[str]) -> None:
    """Members and benchmarks outside the plan are usage errors (exit 2), with the closest id suggested."""
    from aseanwp.plan import suggest

    for what, given, known in (
        ("member", countries, [*plan.member_codes, plan.region.code]),
        ("benchmark", benchmarks, [b.id for b in plan.benchmarks]),
    ):
        for value in given:
            if value not in known:
                close = suggest(value, known)
                usage(
                    f"unknown {what} '{value}'"
                    + (f"; did you mean '{close}'?" if close else f"; use one of {', '.join(known)}")
                )


def load_data(obj: Context, skip_invalid: bool, warnings: bool = True) -> Any:
    """Validate every report and gather the valid figures."""
    from aseanwp.dataset import Dataset

    data = Dataset()
    outcome = obj.validate(skip_invalid, data, warnings)
    return data.without(outcome.invalid), outcome


def utf8_streams() -> None:
    """Write UTF-8 whatever the locale says (Windows redirects to cp1252 files; LANG=C): reports, JSON and
    Markdown are UTF-8, and names like Việt Nam or a source in Thai must not end the run with an encoding error.
    Text that cannot be UTF-8 (a file name's undecodable bytes) is written escaped."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):  # a stream that cannot change: keep it
                reconfigure(encoding="utf-8", errors="backslashreplace")
