"""Excel workbooks: the Country Report template as ``.xlsx``, and workbooks read, validated and imported as CSV.

Modules, each importing only those before it: ``safety`` (what is refused before any parsing) and ``sheetxml``
(a sheet's XML as rows of raw cells, within caps), both standard library only; ``layout`` (the sheets, rows and
properties that writer and reader share); ``cells`` (what a cell means); ``reader`` (a workbook's sheets as
report sources for the checks); ``writer`` (the template); ``importer`` (the canonical CSV files from a valid
workbook). openpyxl is imported only inside the functions that need it: ``aseanwp --help`` and CSV-only runs
never load it.
"""

from __future__ import annotations

#: File names read as workbooks (the others are refused with a finding that says what they are).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods")

INSTALL_HINT = "pip install 'aseanwp[xlsx]'"


class MissingDependency(Exception):
    """openpyxl or defusedxml is not installed: the message says how to install them."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} needs openpyxl and defusedxml, which are not installed: {INSTALL_HINT}")


def is_workbook_path(path: str) -> bool:
    return path.lower().endswith(WORKBOOK_SUFFIXES)


def require(what: str) -> None:
    """Import openpyxl and defusedxml, or raise MissingDependency naming ``what`` needed them.

    defusedxml is required, not merely used when present: openpyxl parses with it only when it is installed,
    and without it entity declarations would reach the standard library's parser.
    """
    try:
        import defusedxml  # noqa: F401
        import openpyxl  # noqa: F401
    except ImportError:
        raise MissingDependency(what) from None
