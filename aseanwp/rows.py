"""The report row as a pydantic model: the documented shape of one indicator-file row (``aseanwp schema report``).

The validator's hot loop does not build these (see aseanwp/checks/); a test checks that the two agree on a large
generated sample.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

UNITS = ("ha", "t", "kg", "tablets", "count", "persons", "households", "percent", "yes_no")
FLAGS = ("estimate", "provisional", "break", "not_applicable")


def _any_case(word: str) -> str:
    """A pattern for ``word`` under the reports' case rule (``values.word``), for JSON Schema, which has no
    case-insensitive flag: any case, and spaces for an underscore."""
    return "".join(r"(?:_|\s+)" if c == "_" else f"[{c.upper()}{c}]" if c.isalpha() else c for c in word)


# Cells are trimmed before they are read (SPEC 2.3): the patterns allow spaces around them; yes/no in any case.
NUMBER_PATTERN = r"^\s*(-?[0-9]+(\.[0-9]+)?(\s*%)?|[Yy][Ee][Ss]|[Nn][Oo]|NA|na|N/A|n/a|\.\.)?\s*$"


class IndicatorRow(BaseModel):
    """One row of ``<CODE>/<YEAR>.csv`` (cells as text, as they come from a spreadsheet)."""

    model_config = ConfigDict(extra="allow", title="aseanwp country report row (<CODE>/<YEAR>.csv)")

    indicator: str = Field(pattern=r"^\s*[a-z][a-z0-9_]*\s*$", description="an indicator id of the plan")
    value: str = Field(
        pattern=NUMBER_PATTERN,
        description="a plain number (point for decimals, no separators; percent may end in %), yes/no for yes_no "
        "indicators, or empty / NA / .. when not available",
    )
    lower: str | None = Field(default=None, pattern=NUMBER_PATTERN, description="lower end of a published range")
    upper: str | None = Field(default=None, pattern=NUMBER_PATTERN, description="upper end of a published range")
    unit: str | None = Field(
        default=None,
        pattern=r"^\s*(" + "|".join(map(_any_case, UNITS)) + r")?\s*$",
        description="must equal the indicator's unit when given",
    )
    source: str = Field(description="where the figure comes from; 'illustrative' for a made-up figure")
    flag: str | None = Field(
        default=None,
        pattern=r"^[\s;]*((" + "|".join(map(_any_case, FLAGS)) + r")\s*(;[\s;]*|$))*$",
        description="estimate, provisional, break, not_applicable; several separated by ';'",
    )
    notes: str | None = Field(default=None, description="free text")
    country: str | None = Field(default=None, description="if given, the member code of the folder")
    year: str | None = Field(default=None, pattern=r"^\s*([0-9]{4})?\s*$", description="if given, the year of the file")
