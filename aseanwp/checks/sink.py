"""The findings sink of one file: at most ``PER_CODE_LIMIT`` findings of each code, the rest counted."""

from __future__ import annotations

from collections import Counter

from aseanwp.findings import Finding, finding

PER_CODE_LIMIT = 200  # findings of one code in one file; the rest are counted in one closing finding


class CappedSink:
    """Collects a file's findings, keeping at most PER_CODE_LIMIT of each code (a broken export can have millions)."""

    def __init__(self, out: list[Finding]) -> None:
        self.out = out
        self.counts: Counter[str] = Counter()
        self.first_dropped: dict[str, int | None] = {}

    def __call__(self, f: Finding) -> None:
        self.counts[f.code] += 1
        if self.counts[f.code] <= PER_CODE_LIMIT:
            self.out.append(f)
        else:
            self.first_dropped.setdefault(f.code, f.line)

    def full(self, code: str) -> bool:
        """Whether a further finding of ``code`` would only be counted: callers then skip building it."""
        return self.counts[code] >= PER_CODE_LIMIT

    def drop(self, code: str, line: int | None) -> None:
        """Count a finding that ``full`` says would be dropped, without building it (or its hint)."""
        self.counts[code] += 1
        self.first_dropped.setdefault(code, line)

    def close(self, file: str) -> None:
        for code, line in self.first_dropped.items():
            more = self.counts[code] - PER_CODE_LIMIT
            self.out.append(
                finding(
                    file,
                    line,
                    code,
                    f"and {more:,} more '{code}' findings in this file from this line on",
                    "fix the ones above; the rest are likely the same mistake",
                )
            )
