"""Make text from reports safe to show: no control characters or escape sequences reach a terminal or document."""

from __future__ import annotations

import re

# C0 and C1 controls (tab kept out too: it breaks table layouts), DEL, and the bidirectional overrides and
# isolates that can make text read differently from what it is (CVE-2021-42574 "trojan source").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in "\r\n\t":
        return " "
    return f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}"


def clean(text: str, keep_line_breaks: bool = False) -> str:
    """Replace control characters with visible escapes (newlines and tabs with a space, or kept on request:
    GitHub's workflow commands escape CR and LF themselves)."""
    if keep_line_breaks:
        return _UNSAFE.sub(lambda m: m.group() if m.group() in "\r\n" else _visible(m), text)
    return _UNSAFE.sub(_visible, text)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_safe(text: str) -> str:
    """JSON text with C1 controls and bidirectional overrides written as \\u escapes.

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 controls but writes these raw; as escapes the data is
    unchanged for any JSON reader, and a terminal showing the output cannot be driven by them.
    """
    if text.isascii() and "\x7f" not in text:  # the usual case, tested at memory speed: nothing to escape
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def visible(text: str) -> str:
    """``clean``, for findings (placeholder until invisible characters are named)."""
    return clean(text)


def quote(text: str, limit: int = 60) -> str:
    """Quote an offending cell in a message: cleaned and shortened."""
    t = visible(text)
    if len(t) > limit:
        t = t[: limit - 1] + "…"
    return f"'{t}'"
