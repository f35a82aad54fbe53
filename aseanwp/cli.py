"""The command line: parse options, call the library, render. Heavy modules are imported inside commands so that
``aseanwp --help`` stays fast."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from aseanwp import __version__, meter
from aseanwp.completion import complete_benchmark, complete_member

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

    ORDER = ("validate", "report", "review", "status", "template", "plan", "schema")

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


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def write(data: str, output: str | None) -> None:
    from aseanwp.output import OutputError, emit

    meter.done()  # the progress line (if any) is erased before the output, which may go to the same terminal
    if output is not None and output != "-":
        _check_output(output, inputs_too=True)
    try:
        emit(data, output)
    except OutputError as exc:
        raise Failure(str(exc)) from None


def _check_output(output: str, inputs_too: bool) -> None:
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


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--plan",
    "plan_path",
    default="data/workplan.yaml",
    show_default=True,
    envvar="ASEANWP_PLAN",
    metavar="PATH",
    help="The plan file (env ASEANWP_PLAN).",
)
@click.option(
    "--reports",
    default=None,
    envvar="ASEANWP_REPORTS",
    metavar="DIR",
    help="The country reports folder (env ASEANWP_REPORTS) [default: 'reports' beside the plan].",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Do not read or write the cache of checked plans and reports in the user's cache folder "
    "(env ASEANWP_NO_CACHE).",
)
@click.version_option(__version__, "--version", prog_name="aseanwp")
@click.pass_context
def cli(ctx: click.Context, plan_path: str, reports: str | None, debug: bool, no_cache: bool) -> None:
    """Track the ASEAN Work Plan on Combating Illicit Drug Production, Trafficking and Use 2009-2015.

    Validate country reports, measure progress against the 2008 baseline, and write the annual, mid-term and
    final reviews.

    Exit codes: 0 success, 1 invalid input, 2 usage error, 3 internal error, 130 interrupted.
    """
    from click.core import ParameterSource

    if no_cache:
        from aseanwp import cache

        cache.disable()
    from_env = {n for n in ("plan_path", "reports") if ctx.get_parameter_source(n) == ParameterSource.ENVIRONMENT}
    ctx.obj = Context(plan_path, reports, debug, "plan_path" in from_env, "reports" in from_env)


pass_context = click.make_pass_decorator(Context)


def format_option(*choices: str) -> Callable[[F], F]:
    """``--format`` with the given choices, the first being the default."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help="Output format."
    )


OUTPUT = click.option(
    "-o", "--output", metavar="FILE", default=None, help="Write to FILE (atomically) instead of stdout."
)


# --- validate ----------------------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@format_option("text", "json", "github")
@click.option("--strict", is_flag=True, help="Fail on warnings too (for submissions).")
@click.option(
    "--paths-from",
    metavar="FILE",
    default=None,
    help="Also check the paths listed in FILE ('-': standard input), NUL-separated as `git diff -z "
    "--name-only` writes them, or one a line.",
)
@click.option(
    "--deleted-from",
    metavar="FILE",
    default=None,
    help="Report files that a change deletes or renames, listed like --paths-from: each is an error "
    "(deleted-report), so that figures are never lost silently.",
)
@pass_context
def validate(
    obj: Context,
    paths: tuple[str, ...],
    fmt: str,
    strict: bool,
    paths_from: str | None,
    deleted_from: str | None,
) -> None:
    """Check the plan and the given report files or folders (default: all reports).

    Checks across files (baselines, jumps) read the whole reports folder, but only the given files are reported
    on. Exit code 1 when there are errors (or warnings, with --strict).

    With --format github and GITHUB_STEP_SUMMARY set (in GitHub Actions), every finding is also appended to the
    job summary as a table: GitHub shows only 10 annotations of each kind per step.
    """
    from aseanwp.findings import is_valid, render_github, render_json, render_text, summary_line
    from aseanwp.plan import PlanError, load_plan
    from aseanwp.reports import ignored
    from aseanwp.submission import ListError, job_summary, path_list
    from aseanwp.validation import InputError, deleted_reports, run

    if paths_from is not None and paths_from == deleted_from == "-":
        usage("--paths-from and --deleted-from cannot both read standard input")
    # a list of changed files may name a README or .gitkeep beside the reports: not reports, as in a folder
    try:
        listed = [p for p in path_list(paths_from) if not ignored(os.path.basename(p))] if paths_from else []
        deleted = deleted_reports(path_list(deleted_from)) if deleted_from is not None else []
    except ListError as exc:
        raise Failure(str(exc)) from None
    # an empty list of changed files checks the plan, not the whole folder
    only_plan = paths_from is not None and not listed and not paths
    paths = (*paths, *listed)
    findings: list[Finding]
    try:
        plan = load_plan(obj.plan_path)
    except PlanError as exc:
        findings, files = obj.plan_findings(exc.findings), 0
    else:
        # The plan is always checked; a hook that passes every changed file may name it among the reports.
        reports_given = tuple(p for p in paths if not _same_file(p, obj.plan_path))
        if (paths and not reports_given) or only_plan:
            findings, files = [], 0  # only the plan was named: it is valid
        else:
            try:
                outcome = run(plan, obj.reports, reports_given)
            except InputError as exc:
                raise obj.input_failure(exc) from None
            findings, files = outcome.findings, outcome.files
    if deleted:
        from aseanwp.findings import ordered

        findings = ordered([*findings, *deleted])
    if fmt == "json":
        write(render_json(findings, files, strict), None)
    elif fmt == "github":
        write(render_github(findings), None)
        job_summary(findings, files, strict)
    else:
        write(render_text(findings), None)
    click.echo(summary_line(findings, files, strict), err=True)
    if not is_valid(findings, strict):
        raise click.exceptions.Exit(EXIT_INVALID)


# --- plan and schema ----------------------------------------------------------------------------------------


@cli.command("plan")
@format_option("table", "markdown", "json")
@OUTPUT
@pass_context
def plan_command(obj: Context, fmt: str, output: str | None) -> None:
    """Show the plan: goals, benchmarks, objectives, actions and indicators."""
    from aseanwp.render import plan_view

    plan = obj.plan()
    if fmt == "json":
        write(plan_view.as_json(plan), output)
    elif fmt == "markdown":
        write(plan_view.as_markdown(plan), output)
    else:
        write(plan_view.as_table(plan, to_file=output is not None), output)


@cli.command()
@click.argument("what", type=click.Choice(["plan", "report"]))
@OUTPUT
def schema(what: str, output: str | None) -> None:
    """Print the JSON Schema of the plan file or of a report row."""
    from aseanwp.schemas import plan_schema, report_schema

    write(plan_schema() if what == "plan" else report_schema(), output)


# --- report ----------------------------------------------------------------------------------------------------


SKIP_INVALID = click.option(
    "--skip-invalid",
    is_flag=True,
    help="Leave invalid report files out (listed on stderr) instead of stopping.",
)


def _check_year(plan: Plan, year: int | None) -> None:
    if year is not None and year not in plan.years:
        usage(f"year {year} is outside the plan's years {plan.baseline_year}-{plan.period.end}")


def _check_codes(plan: Plan, countries: Sequence[str], benchmarks: Sequence[str]) -> None:
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


@cli.command()
@click.option("--year", type=int, default=None, help="The year to report on [default: the latest with any value].")
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="CODE",
    shell_complete=complete_member,
    help="Only this member (repeatable).",
)
@click.option(
    "--benchmark",
    "benchmarks",
    multiple=True,
    metavar="ID",
    shell_complete=complete_benchmark,
    help="Only this benchmark (repeatable).",
)
@click.option("--detail", is_flag=True, help="Show every member's rows, not only the region's.")
@format_option("table", "markdown", "csv", "json")
@OUTPUT
@SKIP_INVALID
@pass_context
@meter.measured("Reading the reports")  # a progress line on stderr, when a terminal waits more than a second
def report(
    obj: Context,
    year: int | None,
    countries: tuple[str, ...],
    benchmarks: tuple[str, ...],
    detail: bool,
    fmt: str,
    output: str | None,
    skip_invalid: bool,
) -> None:
    """Progress per benchmark against the baseline, per member and for the region."""
    from aseanwp.engine import compute, select
    from aseanwp.render import report_views

    plan = obj.plan()
    countries = tuple(c.upper() for c in countries)
    _check_year(plan, year)
    _check_codes(plan, countries, benchmarks)
    data, _ = load_data(obj, skip_invalid, warnings=False)  # report shows no warnings
    year = year or data.latest_year()
    if year is None:
        raise Failure(f"the reports in {obj.reports} hold no figures yet")
    meter.step(f"Measuring progress to {year}")
    result = select(compute(plan, data, year), countries, benchmarks)
    meter.step("Writing the report")
    if fmt == "json":
        text = report_views.as_json(result)
    elif fmt == "csv":
        text = report_views.as_csv(result)
    elif fmt == "markdown":
        text = report_views.as_markdown(result, detail=detail or bool(countries))
    else:
        text = report_views.as_table(result, detail=detail or bool(countries), to_file=output is not None)
    write(text, output)


# --- status and template ---------------------------------------------------------------------------------------


@cli.command()
@format_option("table", "markdown", "json")
@OUTPUT
@pass_context
@meter.measured("Reading the reports")
def status(obj: Context, fmt: str, output: str | None) -> None:
    """Who has reported what: members by years, each cell the share of core indicators filled.

    A cell marked '!' is a file with errors (its valid rows still count); 'missing' is a year without a file.
    """
    from aseanwp.completeness import grid
    from aseanwp.dataset import Dataset
    from aseanwp.render import status_view
    from aseanwp.validation import InputError, run

    plan = obj.plan()
    data = Dataset()
    try:
        outcome = run(plan, obj.reports, (), data, warnings=False)  # status marks errors only
    except InputError as exc:
        raise obj.input_failure(exc) from None
    meter.step("Counting what was reported")
    cells, years = grid(plan, data, outcome.found, outcome.invalid)
    if fmt == "json":
        text = status_view.as_json(plan, cells, years)
    elif fmt == "markdown":
        text = status_view.as_markdown(plan, cells, years)
    else:
        text = status_view.as_table(plan, cells, years, to_file=output is not None)
    write(text, output)


@cli.command()
@click.argument("code", shell_complete=complete_member)
@click.argument("year", type=int)
@click.option("--actions", is_flag=True, help="The actions file instead of the indicator file.")
@click.option("-o", "--output", metavar="FILE", default=None, help="Write to FILE (refuses to replace one).")
@click.option("--force", is_flag=True, help="With -o: replace an existing file.")
@pass_context
def template(obj: Context, code: str, year: int, actions: bool, output: str | None, force: bool) -> None:
    """A blank Country Report for member CODE and YEAR, in the standard format.

    Save it as <reports>/CODE/YEAR.csv (or YEAR-actions.csv with --actions), fill in value and source, and run
    `aseanwp validate` on it.
    """
    from aseanwp.output import OutputError, create_new
    from aseanwp.template import actions_template, indicator_template

    plan = obj.plan()
    code = code.upper()
    if code == plan.region.code:
        usage(f"{code} is the region's code; a report is made per member ({', '.join(plan.member_codes)})")
    _check_codes(plan, [code], [])
    _check_year(plan, year)
    text = (actions_template if actions else indicator_template)(plan, code, year)
    if output is None or output == "-":
        write(text, None)
        return
    _check_output(output, inputs_too=False)  # a template is meant to go into the reports folder
    try:
        create_new(output, text, force)
    except OutputError as exc:
        raise Failure(str(exc)) from None
    click.echo(f"aseanwp: wrote {output}; fill in value and source, then run `aseanwp validate {output}`", err=True)


# --- review ----------------------------------------------------------------------------------------------------


@cli.command("review")
@click.argument("kind", type=click.Choice(["annual", "midterm", "final"]))
@click.option("--year", type=int, default=None, help="The meeting year of an annual review [default: the latest].")
@format_option("markdown", "json")
@click.option(
    "--previous",
    metavar="FILE",
    default=None,
    help="An earlier review's JSON (review --format json): figures it gave that were revised since are listed.",
)
@OUTPUT
@SKIP_INVALID
@pass_context
@meter.measured("Reading the reports")
def review_command(
    obj: Context, kind: str, year: int | None, fmt: str, previous: str | None, output: str | None, skip_invalid: bool
) -> None:
    """The annual, mid-term or final review summary, as Markdown for the meeting record.

    The mid-term and final reviews take their years from the plan; an annual review takes --year. Changes are
    given from the baseline and since the earlier review (the previous annual review; the mid-term for the final
    assessment).
    """
    from aseanwp.completeness import grid
    from aseanwp.engine import compute
    from aseanwp.render import review_md
    from aseanwp.review import build, earlier_review, load_previous, reports_commit

    earlier_doc = None
    if previous is not None:
        try:
            earlier_doc = load_previous(previous)
        except ValueError as exc:
            raise Failure(str(exc)) from None

    plan = obj.plan()
    if kind != "annual" and year is not None:
        usage(f"the {kind} review's year comes from the plan; --year is for annual reviews")
    data, outcome = load_data(obj, skip_invalid)
    if kind == "annual" and year is None:
        latest = data.latest_year()
        years = [r.year for r in plan.reviews if r.kind == "annual" and (latest is None or r.figures_year <= latest)]
        if not years:
            usage("no annual review in the plan has figures yet; give --year")
        year = max(years)
    rv = plan.review(kind, year)
    if rv is None:
        known = ", ".join(str(r.year) for r in plan.reviews if r.kind == kind) or "none"
        usage(f"the plan has no {kind} review" + (f" in {year}" if year else "") + f" (its {kind} reviews: {known})")
    meter.step("Counting what was reported")
    cells, years_range = grid(plan, data, outcome.found, up_to=rv.figures_year)
    meter.step(f"Measuring progress to {rv.figures_year}")
    report = compute(plan, data, rv.figures_year)
    warnings = [f for f in outcome.findings if f.severity == "warning"]
    before = earlier_review(plan, rv)
    if before is not None:
        meter.step(f"Measuring progress to {before.figures_year}, for the change since the {before.kind} review")
    earlier = (before, compute(plan, data, before.figures_year)) if before is not None else None
    commit = reports_commit(obj.reports)
    meter.step("Building the review")
    doc = build(plan, rv, report, data, cells, years_range, warnings, commit, earlier, earlier_doc)
    meter.step("Writing the review")
    write(review_md.as_json(doc) if fmt == "json" else review_md.render(plan, doc), output)


def main() -> None:
    _utf8_streams()
    cli(prog_name="aseanwp")


def _utf8_streams() -> None:
    """Write UTF-8 whatever the locale says (Windows redirects to cp1252 files; LANG=C): reports, JSON and
    Markdown are UTF-8, and names like Việt Nam or a source in Thai must not end the run with an encoding error.
    Text that cannot be UTF-8 (a file name's undecodable bytes) is written escaped."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):  # a stream that cannot change: keep it
                reconfigure(encoding="utf-8", errors="backslashreplace")
