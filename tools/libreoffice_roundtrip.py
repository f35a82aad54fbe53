"""A workbook from `aseanwp template --format xlsx`, filled in, saved again by LibreOffice Calc, validated and
imported; and the template rendered to PDF and PNG pages to look at.

Run by hand (tests/test_xlsx_libreoffice.py runs the round trip when `soffice` is on PATH):

    python tools/libreoffice_roundtrip.py [--install] [FOLDER]

--install installs LibreOffice Calc and poppler-utils with apt-get (Debian, Ubuntu) when `soffice` is missing.
FOLDER (default: a new temporary folder) receives the workbooks, the imported CSV and the pictures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "data" / "workplan.yaml"

# what a focal point types (the formula is calculated and its value saved by LibreOffice)
FIGURES = {
    "opium_poppy_area_ha": {"value": 1800, "source": "UNODC Southeast Asia Opium Survey 2015", "flag": "estimate"},
    "heroin_seized_kg": {"value": 94.5, "source": "LCDC"},
    "treatment_admissions": {"value": "=4000+535", "source": "Ministry of Health"},
    "pen_implemented": {"value": "no", "source": "INCB"},
    "drug_use_prevalence_pct": {"value": 0.98, "source": "survey", "notes": "household survey, ages 15-64"},
}
STATUSES = {"I.1.1": {"status": "ongoing"}, "II.1.8": {"status": "completed", "source": "decree 12/2015"}}
EXPECTED_ROWS = {  # the same figures, as their CSV rows read
    "opium_poppy_area_ha": ["1800", "", "", "ha", "UNODC Southeast Asia Opium Survey 2015", "estimate", ""],
    "heroin_seized_kg": ["94.5", "", "", "kg", "LCDC", "", ""],
    "treatment_admissions": ["4535", "", "", "persons", "Ministry of Health", "", ""],
    "pen_implemented": ["no", "", "", "yes_no", "INCB", "", ""],
    "drug_use_prevalence_pct": ["0.98", "", "", "percent", "survey", "", "household survey, ages 15-64"],
}


def aseanwp(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), NO_COLOR="1")
    command = [sys.executable, "-m", "aseanwp", "--plan", str(PLAN), "--reports", str(folder / "reports"), *args]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=120)


def soffice(folder: Path, *args: str) -> None:
    """Run LibreOffice headless with its own profile in ``folder`` (a first run writes one; runs don't collide)."""
    profile = (folder / "lo-profile").resolve().as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", *args],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=180,
    )


def fill(path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Indicators"]
    for row in ws.iter_rows(min_row=4):
        cells = FIGURES.get(str(row[0].value)) if not any(c.value for c in row[1:4]) else None
        for name, value in (cells or {}).items():
            column = {"value": 5, "source": 9, "flag": 10, "notes": 11}[name]
            ws.cell(row[0].row, column, value)
    wa = wb["Actions"]
    for row in wa.iter_rows(min_row=4):
        for name, value in STATUSES.get(str(row[0].value), {}).items():
            wa.cell(row[0].row, {"status": 3, "source": 4}[name], value)
    wb.save(path)


def roundtrip(folder: Path) -> list[str]:
    """The whole trip in ``folder``; returns what was checked, and raises AssertionError when a step fails."""
    done = []
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    made = aseanwp(folder, "template", "LAO", "2015", "--format", "xlsx", "-o", "LAO-2015.xlsx", "--force")
    assert made.returncode == 0, made.stderr
    fill(folder / "LAO-2015.xlsx")
    before = aseanwp(folder, "validate", "LAO-2015.xlsx")
    assert "uncalculated-formula" in before.stdout, before.stdout  # written by a program: no cached value yet
    done.append("filled by openpyxl: the formula has no calculated value (uncalculated-formula)")

    saved = folder / "libreoffice"
    shutil.rmtree(saved, ignore_errors=True)
    soffice(folder, "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), "LAO-2015.xlsx")
    book = saved / "LAO-2015.xlsx"
    with zipfile.ZipFile(book) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        custom = z.read("docProps/custom.xml").decode()
    assert "aseanwp.member" in custom and "LAO" in custom, "LibreOffice dropped the member and year"
    assert "<dataValidation " in sheet and "<sheetProtection" in sheet, "LibreOffice dropped validations or protection"
    done.append("saved by LibreOffice: member and year, data validations and sheet protection kept")

    checked = aseanwp(folder, "validate", str(book))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    done.append("validate: " + checked.stderr.strip())
    imported = aseanwp(folder, "import", str(book))
    assert imported.returncode == 0, imported.stderr
    lines = (folder / "reports" / "LAO" / "2015.csv").read_text(encoding="utf-8").splitlines()
    got: dict[str, str] = {}
    for line in lines:  # an indicator's first row is its total
        got.setdefault(line.split(",")[0], line)
    for indicator, cells in EXPECTED_ROWS.items():
        expected = ",".join([indicator, "", "", "", *cells])
        expected = expected.replace("household survey, ages 15-64", '"household survey, ages 15-64"')
        assert got[indicator] == expected, (got[indicator], expected)
    actions = (folder / "reports" / "LAO" / "2015-actions.csv").read_text(encoding="utf-8")
    assert "II.1.8,completed,decree 12/2015,\n" in actions
    again = aseanwp(folder, "validate", "reports/LAO/2015.csv", "reports/LAO/2015-actions.csv")
    assert again.returncode == 0, again.stdout
    wrote = [line for line in imported.stderr.splitlines() if line.startswith("aseanwp:")]
    done.append("import: " + "; ".join(wrote) + "; the CSV files validate")
    return done


def render(folder: Path) -> list[Path]:
    """The blank template as PDF pages and PNG pictures (LibreOffice's print layout)."""
    made = aseanwp(folder, "template", "LAO", "2015", "--format", "xlsx", "-o", "template.xlsx", "--force")
    assert made.returncode == 0, made.stderr
    soffice(folder, "--convert-to", "pdf", "--outdir", str(folder), "template.xlsx")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "110", "template.pdf", "template"], cwd=folder, check=True)
    return sorted(folder.glob("template*.p*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--install", action="store_true", help="apt-get install LibreOffice Calc when missing")
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        if not args.install:
            sys.exit("soffice is not on PATH: run with --install, or install LibreOffice Calc")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "update"], check=True)
        packages = ["libreoffice-calc-nogui", "poppler-utils"]
        subprocess.run([*sudo, "apt-get", "install", "-y", "--no-install-recommends", *packages], check=True)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="aseanwp-lo-"))
    folder.mkdir(parents=True, exist_ok=True)
    for step in roundtrip(folder.resolve()):
        print("ok:", step)
    for picture in render(folder.resolve()):
        print("wrote", picture)


if __name__ == "__main__":
    main()
