"""The command line: parse options, call the library, render. Heavy modules are imported inside commands so that
``aseanwp --help`` stays fast."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from aseanwp import __version__, meter
from aseanwp.cli_base import (
    EXIT_INVALID,
    OUTPUT,
    SKIP_INVALID,
    Context,
    Failure,
    Group,
    check_codes,
    check_output,
    check_year,
    format_option,
    load_data,
    same_file,
    usage,
    utf8_streams,
    write,
)
from aseanwp.completion import complete_benchmark, complete_member

if TYPE_CHECKING:
    from aseanwp.findings import Finding
    from aseanwp.plan import Plan


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
    on. A workbook (FILE.xlsx, from `aseanwp template --format xlsx`) stands for its member's report of its year;
    its findings name their cell. Exit code 1 when there are errors (or warnings, with --strict).

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
        reports_given = tuple(p for p in paths if not same_file(p, obj.plan_path))
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
    check_year(plan, year)
    check_codes(plan, countries, benchmarks)
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
@click.option("--actions", is_flag=True, help="The actions file instead of the indicator file (CSV only).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help="csv, or xlsx: one workbook with the indicators, the actions and instructions (needs -o).",
)
@click.option("-o", "--output", metavar="FILE", default=None, help="Write to FILE (refuses to replace one).")
@click.option("--force", is_flag=True, help="With -o: replace an existing file.")
@pass_context
def template(obj: Context, code: str, year: int, actions: bool, fmt: str, output: str | None, force: bool) -> None:
    """A blank Country Report for member CODE and YEAR, in the standard format.

    Save it as <reports>/CODE/YEAR.csv (or YEAR-actions.csv with --actions), fill in value and source, and run
    `aseanwp validate` on it. With --format xlsx, fill the workbook in Excel or LibreOffice, check it with
    `aseanwp validate FILE.xlsx` and write the CSV files with `aseanwp import FILE.xlsx`.
    """
    from aseanwp.output import OutputError, create_new

    plan = obj.plan()
    code = code.upper()
    if code == plan.region.code:
        usage(f"{code} is the region's code; a report is made per member ({', '.join(plan.member_codes)})")
    check_codes(plan, [code], [])
    check_year(plan, year)
    data: str | bytes
    if fmt == "xlsx":
        data = _workbook(plan, code, year, actions, output)
    else:
        if output is not None and output.lower().endswith(".xlsx"):
            usage(f"-o {output} names a workbook: add --format xlsx (or name the file .csv)")
        from aseanwp.template import actions_template, indicator_template

        data = (actions_template if actions else indicator_template)(plan, code, year)
    if output is None or output == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            write(data, None)
        return
    check_output(output, inputs_too=False)  # a template is meant to go into the reports folder
    try:
        create_new(output, data, force)
    except OutputError as exc:
        raise Failure(str(exc)) from None
    then = (
        f"fill it in Excel or LibreOffice, then run `aseanwp validate {output}`"
        if fmt == "xlsx"
        else (f"fill in value and source, then run `aseanwp validate {output}`")
    )
    click.echo(f"aseanwp: wrote {output}; {then}", err=True)


def _workbook(plan: Plan, code: str, year: int, actions: bool, output: str | None) -> bytes:
    """The template workbook's bytes, after the checks that only a binary output needs."""
    from aseanwp.xlsx import MissingDependency

    if actions:
        usage("--actions is for CSV: the workbook holds the indicators and the actions on two sheets")
    if output is None:
        usage("--format xlsx writes a binary workbook: give -o FILE.xlsx")
    if output == "-" and sys.stdout.isatty():
        usage("will not write a binary workbook to a terminal: give -o FILE.xlsx")
    if output != "-" and not output.lower().endswith(".xlsx"):
        usage(f"-o {output}: a workbook's name must end in .xlsx (Excel refuses to open it otherwise)")
    from aseanwp.xlsx.writer import template_workbook

    try:
        return template_workbook(plan, code, year)
    except MissingDependency as exc:
        raise Failure(str(exc)) from None


@cli.command("import")
@click.argument("workbook", type=click.Path())
@click.option("--force", is_flag=True, help="Replace report files that exist (each changed cell is listed first).")
@click.option("--dry-run", is_flag=True, help="Check and list what would be written or changed; write nothing.")
@pass_context
def import_command(obj: Context, workbook: str, force: bool, dry_run: bool) -> None:
    """Validate a workbook and write it as the member's CSV report files.

    The member and year come from the workbook (made by `aseanwp template --format xlsx`). Writes
    <reports>/CODE/YEAR.csv and, when an action has a status, YEAR-actions.csv, in the template's columns and
    rows. With errors nothing is written (exit 1). A file that exists is replaced only with --force; the
    cells that would change are listed first.
    """
    from aseanwp.findings import render_text, summary_line
    from aseanwp.output import OutputError
    from aseanwp.xlsx import MissingDependency, is_workbook_path
    from aseanwp.xlsx.importer import targets, write
    from aseanwp.xlsx.reader import workbook_reports

    plan = obj.plan()
    if not is_workbook_path(workbook):
        usage(f"{workbook} is not a workbook: import reads .xlsx files (a CSV report is validated as it is)")
    if not os.path.isdir(obj.reports):
        raise Failure(f"the reports folder {obj.reports} does not exist or is not a folder")
    from aseanwp.validation import InputError, run

    try:
        outcome = run(plan, obj.reports, (workbook,))
        files, _ = workbook_reports(workbook, plan)
    except (InputError, MissingDependency) as exc:
        raise Failure(str(exc)) from None
    if outcome.findings:
        click.echo(render_text(outcome.findings), err=True, nl=False)
    if outcome.errors or not files:
        click.echo(summary_line(outcome.findings, outcome.files), err=True)
        raise Failure(f"{workbook} is not valid: nothing imported; fix the errors above and run again")
    planned, notes = targets(plan, obj.reports, files)
    for note in notes:
        click.echo(f"aseanwp: {note}", err=True)
    for t in planned:
        for line in t.changes:
            click.echo(line)
    blocked = [t for t in planned if t.replaces and not force]
    if dry_run or blocked:
        for t in planned:
            click.echo(f"aseanwp: {t.shown}: {t.state}", err=True)
        if blocked:
            names = ", ".join(t.shown for t in blocked)
            raise Failure(f"{names} exist{'s' if len(blocked) == 1 else ''}; add --force to replace (changes above)")
        return
    try:
        for done in write(planned):
            click.echo(f"aseanwp: {done}", err=True)
    except OutputError as exc:
        raise Failure(str(exc)) from None


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
    utf8_streams()
    cli(prog_name="aseanwp")
