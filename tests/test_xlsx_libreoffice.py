"""A real spreadsheet program as the client: the template filled in, saved by LibreOffice Calc, validated and
imported (tools/libreoffice_roundtrip.py). Skipped when `soffice` is not on PATH; the tool installs it."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("libreoffice_roundtrip", ROOT / "tools" / "libreoffice_roundtrip.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_workbook_saved_by_libreoffice_validates_and_imports(tmp_path: Path) -> None:
    steps = _tool().roundtrip(tmp_path)
    assert [s.split(":")[0] for s in steps] == ["filled by openpyxl", "saved by LibreOffice", "validate", "import"]
