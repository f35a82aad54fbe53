#!/usr/bin/env python3
"""Generate the shipped demonstration Country Reports under data/reports/.

Deterministic and stdlib only: running it twice gives the same bytes.

    python tools/make_demo_reports.py            # write data/reports/ and check it
    python tools/make_demo_reports.py --check    # only check what is there
    python tools/make_demo_reports.py --out DIR  # write somewhere else

What is in the set (SPEC section 7):
- one indicator file per member per year, 2008-2015 (`<CODE>/<YEAR>.csv`), one total row per
  indicator in plan order, dimension rows after their total;
- actions files for 2011, 2012 and 2015 (`<CODE>/<YEAR>-actions.csv`);
- the published figures of ../shared/data/public-figures.md, embedded below (PUBLISHED), each with
  the source named there; every other number is made up and its source starts with `illustrative`.
  The opium series of Myanmar, Lao PDR and Thailand use published figures only: a year without one is
  left empty, never invented;
- the interesting cases: zero opium series (held at zero), Singapore's not_applicable crop rows, the
  Lao PDR 2013 series break, Thailand's missing 2008 poppy area (substituted baseline) and its stale
  latest figure (2012), the Lao PDR 2015 production range, prevalence by population group, treatment
  by modality, precursor seizures by chemical, a note on conflicting sources, provisional and
  estimated figures;
- Viet Nam's files are a European-locale Excel export: `;`-delimited, UTF-8 with BOM, CRLF.
  Everyone else: `,`, UTF-8 without BOM, LF.

Illustrative series are smooth (a compound trend times a little noise) so that no illustrative
series jumps more than tenfold between consecutive years. Noise comes from random.Random seeded
with a fixed string per series ("2009/<CODE>/<series>"), so changing one series never shifts another.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
from pathlib import Path

# --------------------------------------------------------------------------------------------------
# The plan's pieces this generator needs (mirrors data/workplan.yaml; not read at run time so the
# output never depends on another file).

MEMBERS = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]
YEARS = list(range(2008, 2016))
ACTION_YEARS = [2011, 2012, 2015]

# (id, unit, dimension) in plan order
INDICATORS = [
    ("opium_poppy_area_ha", "ha", None),
    ("opium_production_t", "t", None),
    ("opium_poppy_eradicated_ha", "ha", None),
    ("cannabis_area_ha", "ha", None),
    ("cannabis_eradicated_ha", "ha", None),
    ("ad_households_supported", "households", None),
    ("clandestine_labs_dismantled", "count", None),
    ("production_syndicates_dismantled", "count", None),
    ("trafficking_syndicates_dismantled", "count", None),
    ("drug_trafficking_arrests", "persons", None),
    ("drug_offence_arrests", "persons", None),
    ("meth_tablets_seized", "tablets", None),
    ("crystal_meth_seized_kg", "kg", None),
    ("heroin_seized_kg", "kg", None),
    ("precursors_seized_kg", "kg", "chemical"),
    ("pen_implemented", "yes_no", None),
    ("border_liaison_offices", "count", None),
    ("joint_operations", "count", None),
    ("drug_use_prevalence_pct", "percent", "population"),
    ("drug_users_identified", "persons", None),
    ("drug_users_estimated", "persons", None),
    ("treatment_admissions", "persons", "modality"),
    ("aftercare_completions", "persons", None),
    ("cso_partnerships", "count", None),
]
UNIT = {i: u for i, u, _ in INDICATORS}
DIMENSIONS = {
    "population": ["students", "youth", "street_children", "sex_workers", "labour_intensive_workers"],
    "modality": ["voluntary", "compulsory"],
    "chemical": ["ephedrine", "pseudoephedrine", "acetic_anhydride", "safrole", "other"],
}
DIM_OF = {i: d for i, _, d in INDICATORS}
COUNTED = {"tablets", "count", "persons", "households"}
HEADER = [
    "indicator",
    "population",
    "modality",
    "chemical",
    "value",
    "lower",
    "upper",
    "unit",
    "source",
    "flag",
    "notes",
]
ACTIONS_HEADER = ["action", "status", "source", "notes"]
FLAGS = {"estimate", "provisional", "break", "not_applicable"}
STATUSES = ["not_started", "planned", "ongoing", "completed"]  # in order of progress

ACTION_IDS = (
    [f"I.1.{n}" for n in range(1, 7)]
    + [f"I.2.{n}" for n in range(1, 5)]
    + [f"II.1.{n}" for n in range(1, 10)]
    + [f"II.2.{n}" for n in range(1, 10)]
    + [f"II.3.{n}" for n in range(1, 4)]
    + [f"III.1.{n}" for n in range(1, 11)]
    + [f"III.2.{n}" for n in range(1, 9)]
    + [f"III.3.{n}" for n in range(1, 7)]
)
assert len(ACTION_IDS) == 55

# --------------------------------------------------------------------------------------------------
# Published figures (../shared/data/public-figures.md), exactly as published.

ILL = "illustrative (demonstration figure, not official)"
ILL_ZERO = "illustrative (no cultivation reported)"
NOT_FOUND = "no published figure found"

OPIUM_SURVEY = "UNODC Southeast Asia Opium Survey"


def opium_source(year: int) -> str:
    """The report a given year's opium figures come from (public-figures.md, 'Sources')."""
    if year == 2008:
        return "UNODC press release, February 2009"
    # No 2011 report is listed; the 2011 figures are those given in the 2012 report.
    return f"{OPIUM_SURVEY} {2012 if year == 2011 else year}"


# (indicator, member) -> {year: value}; values as published (thousands separators removed).
OPIUM_PUBLISHED = {
    ("opium_poppy_area_ha", "MMR"): {
        2008: 28500,
        2009: 31700,
        2010: 38100,
        2011: 43600,
        2012: 51000,
        2013: 57800,
        2014: 57600,
        2015: 55500,
    },
    ("opium_poppy_area_ha", "LAO"): {2008: 1600, 2009: 1900, 2010: 3000, 2011: 4100, 2012: 6800, 2013: 3900},
    ("opium_poppy_area_ha", "THA"): {2009: 211, 2010: 289, 2011: 217, 2012: 209},
    ("opium_poppy_eradicated_ha", "MMR"): {2008: 4820, 2010: 8268, 2011: 7058, 2012: 23718},
    ("opium_poppy_eradicated_ha", "LAO"): {2010: 579, 2011: 662, 2012: 707},
    ("opium_poppy_eradicated_ha", "THA"): {2010: 278, 2011: 208, 2012: 205},
    ("opium_production_t", "MMR"): {2011: 610, 2012: 690, 2014: 670, 2015: 647},
    ("opium_production_t", "LAO"): {2011: 25, 2012: 41},
    ("opium_production_t", "THA"): {2011: 3, 2012: 3},
}
LAO_2015_PRODUCTION_RANGE = (84, 176)

BNN = "BNN national survey, reported by Antara"
DDB = "Dangerous Drugs Board survey"
ONCB = "ONCB, reported by IRIN"
LAO_IRIN = "Lao authorities, reported by IRIN"

# ONCB's arrests are for all drug offences, mostly of users: they go in drug_offence_arrests, never beside other
# members' trafficking arrests (SPEC 2.2, rev. 2).
THA_ONCB = {
    "drug_offence_arrests": {2011: 224000, 2012: 386000, 2013: 431000},
    "treatment_admissions": {2011: 203000, 2012: 560000, 2013: 485000},
    "meth_tablets_seized": {2011: 55000000, 2012: 83000000, 2013: 120000000},
}
THA_TRAFFICKING_NOTE = "ONCB publishes arrests for all drug offences only: see drug_offence_arrests"
THA_2012_TABLETS_NOTE = (
    "sources disagree: 82.2, 83 and 95.3 million tablets in different reports; 83 million as reported by IRIN from ONCB"
)
LAO_TABLETS = {2008: 1000000, 2010: 24000000}  # "about 1 million" / "24 million"
IDN_PREVALENCE = {2008: "1.9", 2011: "2.2"}
IDN_USERS_2008_RANGE = (3100000, 3600000)
IDN_USERS_2011 = 3800000  # "about 3.8 million"
PHL_USERS = {2008: 1700000, 2012: 1300000, 2015: 1800000}
PHL_PREVALENCE_2015 = "2.3"

# Sources a published figure may name (used by the self-check).
PUBLISHED_SOURCES = {BNN, DDB, ONCB, LAO_IRIN, "UNODC press release, February 2009"} | {
    f"{OPIUM_SURVEY} {y}" for y in (2009, 2010, 2012, 2013, 2014, 2015)
}

# --------------------------------------------------------------------------------------------------
# Illustrative profiles: member -> (value in 2008, yearly growth). Sizes are plausible, not real.

POPULATION_M = {
    "BRN": 0.39,
    "KHM": 14.0,
    "IDN": 228.0,
    "LAO": 6.0,
    "MYS": 27.0,
    "MMR": 50.0,
    "PHL": 90.0,
    "SGP": 4.8,
    "THA": 66.5,
    "VNM": 85.0,
}
POP_GROWTH = {
    "BRN": 0.017,
    "KHM": 0.016,
    "IDN": 0.013,
    "LAO": 0.015,
    "MYS": 0.017,
    "MMR": 0.008,
    "PHL": 0.017,
    "SGP": 0.025,
    "THA": 0.004,
    "VNM": 0.010,
}

PROFILES: dict[str, dict[str, tuple[float, float]]] = {
    "cannabis_area_ha": {
        "IDN": (900, -0.06),
        "PHL": (350, -0.05),
        "LAO": (160, -0.08),
        "KHM": (120, 0.03),
        "THA": (70, -0.04),
        "MMR": (220, -0.02),
        "VNM": (25, -0.10),
        "BRN": (0, 0),
        "MYS": (0, 0),
    },
    "ad_households_supported": {
        "MMR": (9000, 0.10),
        "LAO": (6000, 0.08),
        "THA": (12000, 0.03),
        "VNM": (2500, 0.05),
        "KHM": (800, 0.06),
        "IDN": (300, 0.12),
        "PHL": (500, 0.07),
    },
    "clandestine_labs_dismantled": {
        "IDN": (20, 0.03),
        "MYS": (25, 0.04),
        "PHL": (12, -0.05),
        "MMR": (15, 0.0),
        "THA": (4, 0.0),
        "KHM": (2, 0.05),
        "LAO": (2, 0.0),
        "VNM": (3, 0.0),
        "SGP": (0, 0),
        "BRN": (0, 0),
    },
    "production_syndicates_dismantled": {
        "IDN": (8, 0.03),
        "MYS": (10, 0.03),
        "PHL": (6, -0.03),
        "MMR": (7, 0.0),
        "THA": (3, 0.0),
        "KHM": (1, 0.05),
        "LAO": (1, 0.0),
        "VNM": (2, 0.0),
        "SGP": (0, 0),
        "BRN": (0, 0),
    },
    "trafficking_syndicates_dismantled": {
        "THA": (320, 0.05),
        "IDN": (110, 0.06),
        "MYS": (85, 0.03),
        "PHL": (60, 0.04),
        "VNM": (150, 0.03),
        "MMR": (50, 0.04),
        "LAO": (30, 0.05),
        "KHM": (20, 0.06),
        "SGP": (15, 0.0),
        "BRN": (3, 0.0),
    },
    "drug_trafficking_arrests": {
        "IDN": (33000, 0.06),
        "MYS": (28000, 0.03),
        "PHL": (9000, 0.08),
        "VNM": (16000, 0.04),
        "MMR": (4500, 0.06),
        "LAO": (2200, 0.07),
        "KHM": (1500, 0.10),
        "SGP": (2900, -0.01),
        "BRN": (420, 0.02),
    },
    "meth_tablets_seized": {
        "MMR": (18000000, 0.12),
        "MYS": (400000, 0.08),
        "KHM": (250000, 0.15),
        "VNM": (900000, 0.10),
        "IDN": (600000, 0.05),
        "PHL": (20000, 0.0),
        "SGP": (6000, 0.02),
        "BRN": (300, 0.0),
    },
    "crystal_meth_seized_kg": {
        "PHL": (900, 0.05),
        "IDN": (1100, 0.10),
        "MYS": (350, 0.10),
        "THA": (1000, 0.15),
        "MMR": (300, 0.15),
        "SGP": (25, 0.05),
        "BRN": (2.5, 0.0),
        "VNM": (200, 0.15),
        "KHM": (45, 0.15),
        "LAO": (90, 0.10),
    },
    "heroin_seized_kg": {
        "MMR": (550, 0.0),
        "THA": (320, 0.0),
        "VNM": (750, 0.03),
        "MYS": (280, 0.0),
        "LAO": (70, 0.05),
        "KHM": (6, 0.0),
        "IDN": (18, 0.0),
        "PHL": (1.5, 0.0),
        "SGP": (60, -0.02),
        "BRN": (0.4, 0.0),
    },
    "precursors_seized_kg": {
        "MMR": (12000, 0.05),
        "THA": (2500, 0.03),
        "MYS": (1800, 0.05),
        "PHL": (900, 0.0),
        "IDN": (1500, 0.05),
        "VNM": (600, 0.05),
        "KHM": (3000, 0.0),
        "LAO": (400, 0.05),
        "SGP": (50, 0.0),
        "BRN": (0, 0),
    },
    "joint_operations": {
        "THA": (12, 0.08),
        "LAO": (8, 0.08),
        "MMR": (10, 0.06),
        "KHM": (6, 0.07),
        "VNM": (9, 0.06),
        "MYS": (10, 0.05),
        "IDN": (7, 0.05),
        "PHL": (4, 0.05),
        "SGP": (8, 0.03),
        "BRN": (2, 0.05),
    },
    "drug_use_prevalence_pct": {
        "BRN": (0.3, -0.03),
        "KHM": (0.6, 0.02),
        "LAO": (1.1, -0.02),
        "MYS": (1.3, -0.01),
        "MMR": (0.9, 0.01),
        "SGP": (0.08, -0.02),
        "THA": (2.4, 0.02),
        "VNM": (0.35, -0.01),
    },
    "drug_users_identified": {
        "THA": (280000, 0.08),
        "IDN": (30000, 0.08),
        "MYS": (14000, 0.03),
        "VNM": (170000, 0.03),
        "MMR": (9000, 0.04),
        "LAO": (25000, 0.02),
        "KHM": (6000, 0.05),
        "PHL": (25000, 0.03),
        "SGP": (3200, -0.02),
        "BRN": (500, 0.02),
    },
    "treatment_admissions": {
        "IDN": (5000, 0.15),
        "MYS": (9000, 0.06),
        "VNM": (45000, 0.03),
        "LAO": (2500, 0.08),
        "KHM": (1800, 0.12),
        "MMR": (7000, 0.06),
        "PHL": (4800, 0.05),
        "SGP": (1400, 0.0),
        "BRN": (180, 0.04),
    },
    "cso_partnerships": {
        "BRN": (3, 0.06),
        "KHM": (15, 0.08),
        "IDN": (25, 0.08),
        "LAO": (6, 0.07),
        "MYS": (30, 0.05),
        "MMR": (10, 0.08),
        "PHL": (40, 0.05),
        "SGP": (22, 0.04),
        "THA": (45, 0.05),
        "VNM": (12, 0.06),
    },
}
# share of cannabis area eradicated
CANNABIS_ERADICATED_SHARE = {
    "IDN": 0.6,
    "PHL": 0.7,
    "LAO": 0.4,
    "KHM": 0.3,
    "THA": 0.8,
    "MMR": 0.25,
    "VNM": 0.9,
    "BRN": 0.0,
    "MYS": 0.0,
}
# aftercare completions as a share of admissions in 2008, growing 3 % a year
AFTERCARE_SHARE = {
    "BRN": 0.5,
    "KHM": 0.25,
    "IDN": 0.3,
    "LAO": 0.2,
    "MYS": 0.45,
    "MMR": 0.3,
    "PHL": 0.4,
    "SGP": 0.6,
    "THA": 0.25,
    "VNM": 0.35,
}
# border liaison offices: (2008 count, offices added per year on average)
BLO = {
    "THA": (18, 1.0),
    "LAO": (14, 0.8),
    "MMR": (14, 1.0),
    "KHM": (10, 0.6),
    "VNM": (15, 0.7),
    "MYS": (4, 0.3),
    "IDN": (2, 0.3),
    "PHL": (1, 0.15),
    "SGP": (1, 0.0),
    "BRN": (1, 0.15),
}
# first year with PEN fully implemented; None: not by 2015
PEN_FROM = {
    "SGP": 2008,
    "THA": 2008,
    "MYS": 2010,
    "IDN": 2011,
    "PHL": 2012,
    "VNM": 2012,
    "BRN": 2013,
    "KHM": 2014,
    "MMR": 2015,
    "LAO": None,
}

# Thailand: illustrative years around the published ONCB figures, chosen to join them smoothly.
THA_AROUND = {
    "drug_offence_arrests": {2008: 150000, 2009: 171000, 2010: 196000, 2014: 402000, 2015: 381000},
    "treatment_admissions": {2008: 112000, 2009: 139000, 2010: 168000, 2014: 318000, 2015: 296000},
    "meth_tablets_seized": {2008: 25000000, 2009: 28000000, 2010: 45000000, 2014: 101000000, 2015: 112000000},
}
LAO_TABLETS_AROUND = {
    2009: 5000000,
    2011: 17000000,
    2012: 21000000,
    2013: 25000000,
    2014: 27000000,
    2015: 29000000,
}

# Prevalence by population group: member -> {group: (2008 rate, yearly growth, years)}
EVERY = tuple(YEARS)
SURVEY_YEARS = (2008, 2011, 2014)
PREVALENCE_GROUPS = {
    "IDN": {
        "students": (1.5, -0.02, EVERY),
        "youth": (2.8, -0.01, EVERY),
        "labour_intensive_workers": (4.5, 0.02, EVERY),
        "street_children": (12.0, -0.03, SURVEY_YEARS),
        "sex_workers": (9.0, -0.02, SURVEY_YEARS),
    },
    "THA": {
        "students": (2.0, 0.03, EVERY),
        "youth": (3.5, 0.02, EVERY),
        "labour_intensive_workers": (6.0, -0.02, EVERY),
        "street_children": (14.0, 0.01, SURVEY_YEARS),
        "sex_workers": (8.0, -0.04, SURVEY_YEARS),
    },
    "MYS": {
        "students": (0.6, -0.03, EVERY),
        "youth": (1.8, -0.02, EVERY),
        "labour_intensive_workers": (3.2, 0.0, EVERY),
    },
    "PHL": {
        "students": (1.2, -0.04, EVERY),
        "youth": (2.4, -0.03, EVERY),
        "street_children": (10.0, -0.02, SURVEY_YEARS),
        "sex_workers": (7.0, 0.01, SURVEY_YEARS),
    },
    "VNM": {"youth": (0.9, 0.02, SURVEY_YEARS)},
}
# Treatment admissions by modality: member -> (voluntary share in 2008, in 2015)
MODALITY_SHARE = {"THA": (0.30, 0.50), "MYS": (0.10, 0.45), "VNM": (0.15, 0.35), "IDN": (0.50, 0.65)}
# Precursor seizures by chemical: member -> shares in DIMENSIONS["chemical"] order
CHEMICAL_SHARE = {
    "MMR": (0.15, 0.35, 0.28, 0.02, 0.20),
    "THA": (0.20, 0.50, 0.05, 0.05, 0.20),
    "MYS": (0.30, 0.30, 0.05, 0.05, 0.30),
    "PHL": (0.40, 0.30, 0.02, 0.03, 0.25),
}

# A few provisional figures (most 2015 figures were final by the time of the final assessment).
PROVISIONAL = {
    ("KHM", "drug_trafficking_arrests", 2015),
    ("MMR", "meth_tablets_seized", 2015),
    ("PHL", "drug_trafficking_arrests", 2015),
    ("PHL", "crystal_meth_seized_kg", 2015),
    ("KHM", "treatment_admissions", 2015),
    ("VNM", "heroin_seized_kg", 2015),
    ("THA", "drug_offence_arrests", 2015),
    ("THA", "treatment_admissions", 2015),
    ("THA", "meth_tablets_seized", 2015),
    ("MMR", "cannabis_area_ha", 2015),
    ("IDN", "precursors_seized_kg", 2015),
}
# illustrative figures flagged as estimates
ESTIMATED_SERIES = {
    ("MMR", "cannabis_area_ha"),
    ("LAO", "cannabis_area_ha"),
    ("KHM", "cannabis_area_ha"),
    ("MMR", "ad_households_supported"),
}

# --------------------------------------------------------------------------------------------------
# helpers


def fmt(x: float, places: int = 0) -> str:
    """A plain number: point as decimal mark, no thousands separators, trailing zeros dropped."""
    if places == 0:
        return str(int(x + 0.5)) if x >= 0 else str(-int(-x + 0.5))
    s = f"{x:.{places}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def rnd(x: float) -> int:
    return int(x + 0.5)


def trend(key: str, base: float, growth: float, noise: float = 0.08) -> dict[int, float]:
    """A smooth illustrative series: base * (1 + growth)^t times noise within +-noise."""
    rng = random.Random(f"2009/{key}")
    return {y: base * (1 + growth) ** (y - 2008) * (1 + rng.uniform(-noise, noise)) for y in YEARS}


def places_for(unit: str, value: float) -> int:
    if unit in COUNTED:
        return 0
    if unit == "percent":
        return 2 if value < 1 else 1
    if unit in ("kg", "ha", "t"):
        return 1 if value < 100 else 0
    return 1


def row(
    indicator: str,
    value: str = "",
    source: str = "",
    flags=(),
    notes: str = "",
    lower: str = "",
    upper: str = "",
    **dims: str,
) -> dict[str, str]:
    r = {h: "" for h in HEADER}
    r.update(
        indicator=indicator,
        value=value,
        lower=lower,
        upper=upper,
        unit=UNIT[indicator],
        source=source,
        flag=";".join(flags),
        notes=notes,
    )
    for d, v in dims.items():
        r[d] = v
    return r


def ill_row(
    code: str, year: int, indicator: str, value: float, notes: str = "", flags=(), source: str = ILL
) -> dict[str, str]:
    flags = list(flags)
    if (code, indicator) in ESTIMATED_SERIES and "estimate" not in flags:
        flags.append("estimate")
    if (code, indicator, year) in PROVISIONAL:
        flags.append("provisional")
    unit = UNIT[indicator]
    return row(indicator, fmt(value, places_for(unit, value)), source, flags, notes)


def split(total: int, shares, key: str, noise: float = 0.15) -> list[int]:
    """Split a whole number into parts by (noisy) shares; the parts sum to total exactly."""
    rng = random.Random(f"2009/split/{key}")
    w = [s * (1 + rng.uniform(-noise, noise)) for s in shares]
    tw = sum(w)
    parts = [int(total * x / tw) for x in w]
    # hand the remainder out by largest fractional part, deterministically
    rema = sorted(range(len(w)), key=lambda i: -(total * w[i] / tw - parts[i]))
    for i in rema[: total - sum(parts)]:
        parts[i] += 1
    return parts


# --------------------------------------------------------------------------------------------------
# series builders: each returns the rows of one indicator (total first) for one member and year

OPIUM_GROWERS = ("MMR", "LAO", "THA")


def opium_rows(code: str, year: int, ind: str) -> list[dict]:
    if code == "SGP":
        return [row(ind, flags=["not_applicable"], notes="no cultivation; not applicable to Singapore")]
    if code not in OPIUM_GROWERS:
        return [row(ind, "0", ILL_ZERO)]
    pub = OPIUM_PUBLISHED.get((ind, code), {})
    note_extra = "; ONCB figure published by UNODC" if code == "THA" else ""
    note_2011 = "; 2011 figure as given in the 2012 survey" if year == 2011 else ""
    if year in pub:
        flags, notes = [], ""
        if code == "LAO" and year == 2013 and ind == "opium_poppy_area_ha":
            flags = ["break"]
            notes = (
                "UNODC changed the survey method in 2013: not comparable with earlier years, "
                "no trend can be established"
            )
        notes = (notes + note_extra + note_2011).lstrip("; ")
        return [row(ind, str(pub[year]), opium_source(year), flags, notes)]
    if ind == "opium_production_t" and code == "LAO" and year == 2015:
        lo, hi = LAO_2015_PRODUCTION_RANGE
        return [
            row(
                ind,
                "",
                opium_source(2015),
                ["estimate"],
                f"published as a range only ({lo} to {hi} t); no point estimate",
                lower=str(lo),
                upper=str(hi),
            )
        ]
    if code == "THA" and year == 2008 and ind == "opium_poppy_area_ha":
        return [row(ind, notes="no published 2008 figure")]
    return [row(ind, notes=NOT_FOUND)]


def cannabis_rows(code: str, year: int, ind: str) -> list[dict]:
    if code == "SGP":
        return [row(ind, flags=["not_applicable"], notes="no cultivation; not applicable to Singapore")]
    base, g = PROFILES["cannabis_area_ha"][code]
    if base == 0:
        return [row(ind, "0", ILL_ZERO)]
    area = {y: rnd(v) for y, v in trend(f"{code}/cannabis_area_ha", base, g).items()}
    if ind == "cannabis_area_ha":
        return [ill_row(code, year, ind, area[year])]
    share = CANNABIS_ERADICATED_SHARE[code]
    er = trend(f"{code}/cannabis_eradicated_share", share, 0.0, 0.1)[year]
    return [ill_row(code, year, ind, rnd(area[year] * min(er, 0.95)))]


def ad_rows(code: str, year: int, ind: str) -> list[dict]:
    if code == "SGP":
        return [row(ind, flags=["not_applicable"], notes="no cultivation; not applicable to Singapore")]
    if code in ("BRN", "MYS"):
        return [
            row(
                ind,
                flags=["not_applicable"],
                notes="no illicit crop cultivation, so no alternative development programme",
            )
        ]
    base, g = PROFILES[ind][code]
    return [ill_row(code, year, ind, rnd(trend(f"{code}/{ind}", base, g)[year]))]


def simple_rows(code: str, year: int, ind: str, noise: float = 0.08) -> list[dict]:
    base, g = PROFILES[ind][code]
    if base == 0:
        return [ill_row(code, year, ind, 0)]
    v = trend(f"{code}/{ind}", base, g, noise)[year]
    if UNIT[ind] in COUNTED:
        v = max(1, rnd(v))
    return [ill_row(code, year, ind, v)]


def small_count_rows(code: str, year: int, ind: str) -> list[dict]:
    return simple_rows(code, year, ind, noise=0.25)


def thai_or_lao_rows(code: str, year: int, ind: str) -> list[dict] | None:
    """Published ONCB / Lao figures and their illustrative neighbours; None when not concerned."""
    if code == "THA" and ind in THA_ONCB and ind != "treatment_admissions":  # see treatment_rows
        if year in THA_ONCB[ind]:
            notes = THA_2012_TABLETS_NOTE if (ind == "meth_tablets_seized" and year == 2012) else ""
            return [row(ind, str(THA_ONCB[ind][year]), ONCB, notes=notes)]
        return [ill_row(code, year, ind, THA_AROUND[ind][year])]
    if code == "THA" and ind == "drug_trafficking_arrests":
        return [row(ind, "", "", notes=THA_TRAFFICKING_NOTE)]
    if ind == "drug_offence_arrests":
        return []  # only Thailand publishes arrests for all drug offences alone
    if code == "LAO" and ind == "meth_tablets_seized":
        if year in LAO_TABLETS:
            notes = "about 1 million" if year == 2008 else ""
            return [row(ind, str(LAO_TABLETS[year]), LAO_IRIN, ["estimate"], notes)]
        notes = "between the published 2008 and 2010 figures" if year == 2009 else ""
        return [ill_row(code, year, ind, LAO_TABLETS_AROUND[year], notes)]
    return None


def precursor_rows(code: str, year: int, ind: str) -> list[dict]:
    base, g = PROFILES[ind][code]
    if base == 0:
        return [ill_row(code, year, ind, 0)]
    tenths = rnd(trend(f"{code}/{ind}", base, g, 0.12)[year] * 10)
    if code not in CHEMICAL_SHARE:
        return [ill_row(code, year, ind, rnd(tenths / 10))]
    parts = split(tenths, CHEMICAL_SHARE[code], f"{code}/{year}/chemical")
    total = sum(parts)
    out = [ill_row(code, year, ind, total / 10, notes="sum of the chemicals below")]
    out[0]["value"] = fmt(total / 10, 1)
    for chem, p in zip(DIMENSIONS["chemical"], parts, strict=True):
        r = ill_row(code, year, ind, p / 10)
        r["value"] = fmt(p / 10, 1)
        r["chemical"] = chem
        out.append(r)
    return out


def pen_rows(code: str, year: int, ind: str) -> list[dict]:
    start = PEN_FROM[code]
    yes = start is not None and year >= start
    notes = (
        "PEN Online registration and pre-export notifications not yet in place"
        if (code == "LAO" and year >= 2013)
        else ""
    )
    return [row(ind, "yes" if yes else "no", ILL, notes=notes)]


def blo_rows(code: str, year: int, ind: str) -> list[dict]:
    base, per_year = BLO[code]
    return [ill_row(code, year, ind, base + int(per_year * (year - 2008)))]


def prevalence_rows(code: str, year: int, ind: str) -> list[dict]:
    out: list[dict]
    if code == "IDN":
        if year in IDN_PREVALENCE:
            out = [row(ind, IDN_PREVALENCE[year], BNN, notes="past-year use, population aged 10-59")]
        elif year == 2014:
            out = [ill_row(code, year, ind, 2.1, "illustrative follow-up survey", ["estimate"])]
        else:
            out = [row(ind, notes="no national survey this year")]
    elif code == "PHL":
        if year == 2015:
            out = [row(ind, PHL_PREVALENCE_2015, DDB, notes="people aged 10-69")]
        elif year in (2008, 2012):
            v = {2008: 2.6, 2012: 1.9}[year]
            out = [
                ill_row(
                    code,
                    year,
                    ind,
                    v,
                    "not a published rate: illustrative, in line with the published user estimate",
                    source="illustrative (derived from the user estimate, not official)",
                )
            ]
        else:
            out = [row(ind, notes="no national survey this year")]
    else:
        base, g = PROFILES[ind][code]
        v = trend(f"{code}/{ind}", base, g, 0.05)[year]
        out = [ill_row(code, year, ind, v)]
    for group, (gb, gg, years) in PREVALENCE_GROUPS.get(code, {}).items():
        if year not in years:
            continue
        v = trend(f"{code}/{ind}/{group}", gb, gg, 0.06)[year]
        r = ill_row(code, year, ind, v)
        r["population"] = group
        out.append(r)
    return out


def users_estimated_rows(code: str, year: int, ind: str) -> list[dict]:
    if code == "IDN":
        if year == 2008:
            lo, hi = IDN_USERS_2008_RANGE
            return [
                row(
                    ind,
                    "",
                    BNN,
                    ["estimate"],
                    "published as a range; population aged 10-59",
                    lower=str(lo),
                    upper=str(hi),
                )
            ]
        if year == 2011:
            return [row(ind, str(IDN_USERS_2011), BNN, ["estimate"], "about 3.8 million")]
        if year == 2014:
            return [ill_row(code, year, ind, 4000000, flags=["estimate"])]
        return [row(ind, notes="no national survey this year")]
    if code == "PHL":
        if year in PHL_USERS:
            return [row(ind, str(PHL_USERS[year]), DDB, notes="current users")]
        return [row(ind, notes="no national survey this year")]
    # others: the illustrative prevalence applied to the population aged 15-64
    base, g = PROFILES["drug_use_prevalence_pct"][code]
    p = trend(f"{code}/drug_use_prevalence_pct", base, g, 0.05)[year]
    prev = float(fmt(p, places_for("percent", p)))  # the rate as written in the file
    pop = POPULATION_M[code] * 1e6 * 0.66 * (1 + POP_GROWTH[code]) ** (year - 2008)
    step = 100 if code in ("BRN", "SGP") else 1000
    return [ill_row(code, year, ind, round(prev / 100 * pop / step) * step, flags=["estimate"])]


def treatment_total(code: str, year: int) -> tuple[int, str, str]:
    """(total, source, notes) of treatment admissions."""
    if code == "THA":
        if year in THA_ONCB["treatment_admissions"]:
            return THA_ONCB["treatment_admissions"][year], ONCB, ""
        return THA_AROUND["treatment_admissions"][year], ILL, ""
    base, g = PROFILES["treatment_admissions"][code]
    return rnd(trend(f"{code}/treatment_admissions", base, g, 0.06)[year]), ILL, ""


def treatment_rows(code: str, year: int, ind: str) -> list[dict]:
    total, source, notes = treatment_total(code, year)
    out = [ill_row(code, year, ind, total, notes)] if source == ILL else [row(ind, str(total), source, notes=notes)]
    if code in MODALITY_SHARE:
        s0, s1 = MODALITY_SHARE[code]
        share = s0 + (s1 - s0) * (year - 2008) / 7
        vol, comp = split(total, (share, 1 - share), f"{code}/{year}/modality", 0.05)
        for modality, v in (("voluntary", vol), ("compulsory", comp)):
            note = "illustrative split of the published total" if source != ILL else ""
            r = row(ind, str(v), ILL, notes=note, modality=modality)
            r["flag"] = out[0]["flag"]  # a provisional total has provisional parts
            out.append(r)
    return out


def aftercare_rows(code: str, year: int, ind: str) -> list[dict]:
    total, _, _ = treatment_total(code, year)
    share = AFTERCARE_SHARE[code] * 1.03 ** (year - 2008)
    share *= trend(f"{code}/aftercare_share", 1.0, 0.0, 0.06)[year]
    return [ill_row(code, year, ind, rnd(total * min(share, 0.9)))]


BUILDERS = {
    "opium_poppy_area_ha": opium_rows,
    "opium_production_t": opium_rows,
    "opium_poppy_eradicated_ha": opium_rows,
    "cannabis_area_ha": cannabis_rows,
    "cannabis_eradicated_ha": cannabis_rows,
    "ad_households_supported": ad_rows,
    "clandestine_labs_dismantled": small_count_rows,
    "production_syndicates_dismantled": small_count_rows,
    "trafficking_syndicates_dismantled": simple_rows,
    "drug_trafficking_arrests": simple_rows,
    "meth_tablets_seized": simple_rows,
    "crystal_meth_seized_kg": simple_rows,
    "heroin_seized_kg": simple_rows,
    "precursors_seized_kg": precursor_rows,
    "pen_implemented": pen_rows,
    "border_liaison_offices": blo_rows,
    "joint_operations": lambda c, y, i: simple_rows(c, y, i, noise=0.15),
    "drug_use_prevalence_pct": prevalence_rows,
    "drug_users_identified": simple_rows,
    "drug_users_estimated": users_estimated_rows,
    "treatment_admissions": treatment_rows,
    "aftercare_completions": aftercare_rows,
    "cso_partnerships": lambda c, y, i: simple_rows(c, y, i, noise=0.10),
}


def indicator_file_rows(code: str, year: int) -> list[dict]:
    rows: list[dict] = []
    for ind, _, _ in INDICATORS:
        special = thai_or_lao_rows(code, year, ind)
        rows.extend(special if special is not None else BUILDERS[ind](code, year, ind))
    if code == "VNM" and year == 2015:
        for r in rows:
            if r["indicator"] == "heroin_seized_kg" and not r["population"]:
                r["flag"] = "estimate;provisional"
                r["notes"] = "ghi chú: số liệu minh họa, chưa chính thức (illustrative, provisional)"
    return rows


# --------------------------------------------------------------------------------------------------
# actions

NEVER_STARTED = ("II.1.7", "II.2.6")  # no member reports these as ongoing or completed


def action_statuses(code: str) -> dict[int, dict[str, str]]:
    """member -> {year: {action: status}}; statuses never go backwards; some actions not reported."""
    out: dict[int, dict[str, str]] = {y: {} for y in ACTION_YEARS}
    for aid in ACTION_IDS:
        rng = random.Random(f"2009/actions/{code}/{aid}")
        if code == "SGP" and aid.startswith("I."):
            for y in ACTION_YEARS:
                out[y][aid] = "not_applicable"
            continue
        if code in ("BRN", "MYS") and aid.startswith("I.2."):
            for y in ACTION_YEARS:
                out[y][aid] = "not_applicable"
            continue
        if aid == "II.1.8":  # PEN: follows pen_implemented
            start = PEN_FROM[code]
            for y in ACTION_YEARS:
                if start is not None and y >= start:
                    out[y][aid] = "completed"
                elif start is not None and start - y <= 3:
                    out[y][aid] = "ongoing"
                else:
                    out[y][aid] = "planned" if y >= 2012 else "not_started"
            continue
        stage = rng.choices([0, 1, 2, 3], weights=[3, 4, 6, 1])[0]
        stages = {}
        for y in ACTION_YEARS:
            if y == 2012:  # one year on
                stage = min(3, stage + rng.choices([0, 1], weights=[6, 3])[0])
            elif y == 2015:  # three years on
                stage = min(3, stage + rng.choices([0, 1, 2], weights=[3, 5, 2])[0])
            stages[y] = stage
        if aid in NEVER_STARTED:
            stages = {y: min(s, 1) for y, s in stages.items()}
        for y in ACTION_YEARS:
            out[y][aid] = STATUSES[stages[y]]
    # leave a few actions out each year (not reported); fewer gaps as reporting improves
    for y in ACTION_YEARS:
        rng = random.Random(f"2009/actions-omitted/{code}/{y}")
        n = {2011: 5, 2012: 4, 2015: 2}[y]
        candidates = [a for a in ACTION_IDS if out[y][a] != "not_applicable"]
        for aid in rng.sample(candidates, n):
            del out[y][aid]
    return out


ACTION_NOTES = {
    ("LAO", "II.1.8"): "PEN Online registration pending",
    ("IDN", "III.1.3"): "programmes for street children and sex workers",
    ("THA", "III.2.5"): "treatment coverage widened in 2012",
}


def actions_file_rows(code: str, year: int, statuses: dict[str, str]) -> list[dict]:
    rows = []
    for aid in ACTION_IDS:
        if aid not in statuses:
            continue
        note = ACTION_NOTES.get((code, aid), "")
        if statuses[aid] == "not_applicable" and aid.startswith("I."):
            note = "no illicit crop cultivation"
        rows.append({"action": aid, "status": statuses[aid], "source": "illustrative", "notes": note})
    return rows


# --------------------------------------------------------------------------------------------------
# writing


def flavour(code: str) -> dict:
    if code == "VNM":  # a European-locale Excel export
        return {"delimiter": ";", "encoding": "utf-8-sig", "lineterminator": "\r\n"}
    return {"delimiter": ",", "encoding": "utf-8", "lineterminator": "\n"}


def render(code: str, header: list[str], rows: list[dict]) -> bytes:
    fl = flavour(code)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=fl["delimiter"], lineterminator=fl["lineterminator"], quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow([r[h] for h in header])
    return buf.getvalue().encode(fl["encoding"])


def generate() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for code in MEMBERS:
        for year in YEARS:
            files[f"{code}/{year}.csv"] = render(code, HEADER, indicator_file_rows(code, year))
        st = action_statuses(code)
        for year in ACTION_YEARS:
            files[f"{code}/{year}-actions.csv"] = render(code, ACTIONS_HEADER, actions_file_rows(code, year, st[year]))
    return files


def write(outdir: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        p = outdir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if p.exists() and p.read_bytes() == data:
            continue
        tmp = p.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(p)


# --------------------------------------------------------------------------------------------------
# self-check: read the files back as a user's tool would and check the rules of the brief

NUM = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def check(outdir: Path) -> list[str]:
    errs: list[str] = []
    nrows = nfiles = 0
    series: dict[tuple, dict[int, tuple[float | None, bool]]] = {}
    action_best: dict[str, int] = {a: -1 for a in ACTION_IDS}
    for code in MEMBERS:
        fl = flavour(code)
        prev_actions: dict[str, int] = {}
        for year in YEARS:
            rel = f"{code}/{year}.csv"
            raw = (outdir / rel).read_bytes()
            nfiles += 1
            if (raw.startswith(b"\xef\xbb\xbf")) != (code == "VNM"):
                errs.append(f"{rel}: BOM")
            body = raw.decode(fl["encoding"])
            if code == "VNM":
                if body.count("\r\n") != body.count("\n"):
                    errs.append(f"{rel}: not CRLF")
            elif "\r" in body:
                errs.append(f"{rel}: CR found")
            rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=fl["delimiter"]))
            if rows[0] != HEADER:
                errs.append(f"{rel}: header {rows[0]}")
            totals = []
            seen = set()
            sums: dict[str, tuple[str, list[float]]] = {}
            for ln, cells in enumerate(rows[1:], start=2):
                nrows += 1
                where = f"{rel}:{ln}"
                if len(cells) != len(HEADER):
                    errs.append(f"{where}: {len(cells)} cells")
                    continue
                r = dict(zip(HEADER, cells, strict=True))
                ind = r["indicator"]
                if ind not in UNIT:
                    errs.append(f"{where}: indicator {ind}")
                    continue
                dims = {d: r[d] for d in DIMENSIONS if r[d]}
                for d, v in dims.items():
                    if DIM_OF[ind] != d or v not in DIMENSIONS[d]:
                        errs.append(f"{where}: dimension {d}={v}")
                key = (ind, tuple(sorted(dims.items())))
                if key in seen:
                    errs.append(f"{where}: duplicate row")
                seen.add(key)
                if not dims:
                    totals.append(ind)
                unit = UNIT[ind]
                if r["unit"] != unit:
                    errs.append(f"{where}: unit {r['unit']}")
                flags = [f for f in r["flag"].split(";") if f]
                if any(f not in FLAGS for f in flags):
                    errs.append(f"{where}: flag {r['flag']}")
                nums = {}
                for col in ("value", "lower", "upper"):
                    s = r[col]
                    if not s:
                        continue
                    if "," in s:
                        errs.append(f"{where}: comma in {col}")
                    if unit == "yes_no" and col == "value":
                        if s not in ("yes", "no"):
                            errs.append(f"{where}: yes_no {s}")
                        nums[col] = 1.0 if s == "yes" else 0.0
                        continue
                    if not NUM.match(s):
                        errs.append(f"{where}: bad number {col}={s!r}")
                        continue
                    x = float(s)
                    nums[col] = x
                    if unit in COUNTED and "." in s:
                        errs.append(f"{where}: not whole {s}")
                    if unit == "percent" and not 0 <= x <= 100:
                        errs.append(f"{where}: percent {s}")
                if "lower" in nums or "upper" in nums:
                    lo, hi = nums.get("lower", float("-inf")), nums.get("upper", float("inf"))
                    v = nums.get("value")
                    if lo > hi or (v is not None and not lo <= v <= hi):
                        errs.append(f"{where}: bad range")
                if nums and not r["source"]:
                    errs.append(f"{where}: missing source")
                src = r["source"]
                if src and not src.startswith("illustrative") and src not in PUBLISHED_SOURCES:
                    errs.append(f"{where}: unknown source {src!r}")
                if "not_applicable" in flags and r["value"]:
                    errs.append(f"{where}: not_applicable with a value")
                if dims and "value" in nums:
                    sums.setdefault(ind, ("", []))[1].append(nums["value"])
                if not dims:
                    sums.setdefault(ind, ("", []))
                    sums[ind] = (r["value"], sums[ind][1])
                skey = (code, ind, tuple(sorted(dims.items())))
                series.setdefault(skey, {})[year] = (nums.get("value"), "break" in flags)
            expected = [i for i, _, _ in INDICATORS if code == "THA" or i != "drug_offence_arrests"]
            if totals != expected:
                errs.append(f"{rel}: total rows {len(totals)} not the {len(expected)} in plan order")
            for ind in ("treatment_admissions", "precursors_seized_kg"):
                total, parts = sums.get(ind, ("", []))
                if parts and abs(float(total) - sum(parts)) > 1e-6:
                    errs.append(f"{rel}: {ind} parts {sum(parts)} != total {total}")
        for year in ACTION_YEARS:
            rel = f"{code}/{year}-actions.csv"
            body = (outdir / rel).read_bytes().decode(fl["encoding"])
            nfiles += 1
            rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=fl["delimiter"]))
            if rows[0] != ACTIONS_HEADER:
                errs.append(f"{rel}: header {rows[0]}")
            ids = []
            for ln, (aid, status, source, _notes) in enumerate(rows[1:], start=2):
                nrows += 1
                ids.append(aid)
                if aid not in ACTION_IDS or status not in STATUSES + ["not_applicable"]:
                    errs.append(f"{rel}:{ln}: {aid} {status}")
                    continue
                if source != "illustrative":
                    errs.append(f"{rel}:{ln}: source")
                if code == "SGP" and aid.startswith("I.") and status != "not_applicable":
                    errs.append(f"{rel}:{ln}: SGP crop action not not_applicable")
                if status in STATUSES:
                    s = STATUSES.index(status)
                    if s < prev_actions.get(aid, -1):
                        errs.append(f"{rel}:{ln}: {aid} went backwards")
                    prev_actions[aid] = s
                    action_best[aid] = max(action_best[aid], s)
            if len(set(ids)) != len(ids):
                errs.append(f"{rel}: duplicate action")
            if not 40 <= len(ids) < 55:
                errs.append(f"{rel}: {len(ids)} actions reported")
    never = [a for a, s in action_best.items() if s < 2]
    if len(never) < 2:
        errs.append(f"actions never started: {never} (want at least 2)")
    # no tenfold jump between consecutive reported non-zero years, except across a break
    for skey, by_year in series.items():
        last = None
        for y in sorted(by_year):
            v, brk = by_year[y]
            if v is None:
                continue
            if last is not None and last > 0 and v > 0 and not brk and max(v / last, last / v) > 10:
                errs.append(f"jump {skey} {y}: {last} -> {v}")
            last = v
    # published figures in place
    expect = []
    for (ind, code), vals in OPIUM_PUBLISHED.items():
        expect += [(code, y, ind, str(v)) for y, v in vals.items()]
    for ind, vals in THA_ONCB.items():
        expect += [("THA", y, ind, str(v)) for y, v in vals.items()]
    expect += [("LAO", y, "meth_tablets_seized", str(v)) for y, v in LAO_TABLETS.items()]
    expect += [("IDN", y, "drug_use_prevalence_pct", v) for y, v in IDN_PREVALENCE.items()]
    expect += [("PHL", y, "drug_users_estimated", str(v)) for y, v in PHL_USERS.items()]
    expect += [
        ("IDN", 2011, "drug_users_estimated", str(IDN_USERS_2011)),
        ("PHL", 2015, "drug_use_prevalence_pct", PHL_PREVALENCE_2015),
    ]
    for code, y, ind, v in expect:
        got = series.get((code, ind, ()), {}).get(y, (None, False))[0]
        if got is None or abs(got - float(v)) > 1e-9:
            errs.append(f"published figure missing: {code} {y} {ind} {v} (got {got})")
    for code in ("MMR", "LAO", "THA"):  # opium series: published only
        for ind in ("opium_poppy_area_ha", "opium_production_t", "opium_poppy_eradicated_ha"):
            pub = OPIUM_PUBLISHED.get((ind, code), {})
            for y in YEARS:
                got = series.get((code, ind, ()), {}).get(y, (None, False))[0]
                if (got is None) != (y not in pub):
                    errs.append(f"opium series not published-only: {code} {ind} {y}")
    print(f"checked {nfiles} files, {nrows} rows: {len(errs)} problem(s)", file=sys.stderr)
    return errs


def main(argv=None) -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=here / "data" / "reports")
    ap.add_argument("--check", action="store_true", help="only check the files already there")
    args = ap.parse_args(argv)
    if not args.check:
        files = generate()
        write(args.out, files)
        print(f"wrote {len(files)} files under {args.out}", file=sys.stderr)
    errs = check(args.out)
    for e in errs:
        print(e, file=sys.stderr)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
