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


# Characters a person cannot see or tell from a space: format characters (Unicode category Cf: zero-width
# space and joiners, word joiner, soft hyphen, a BOM inside text, ...), the spaces other than U+0020 (category
# Zs: no-break space, thin and figure spaces, ...), line and paragraph separators and the Hangul fillers. A
# test checks the list against the Unicode database.
_INVISIBLE = re.compile(
    "[\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f"
    "\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)


def invisible_note(text: str) -> str:
    """For a hint: which invisible character a cell holds, by name ('' when none)."""
    m = _INVISIBLE.search(text) if not text.isascii() else None
    if m is None:
        return ""
    import unicodedata

    ch = m.group()
    name = unicodedata.name(ch, "an invisible character")
    return f" (it holds U+{ord(ch):04X} {name}, which cannot be seen: retype the cell)"


def visible(text: str, keep_line_breaks: bool = False) -> str:
    """``clean``, and every character a person cannot see named: 'MMR\u200b' is shown as MMR<U+200B>."""
    if not text.isascii():
        text = _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
    return clean(text, keep_line_breaks)


def quote(text: str, limit: int = 60) -> str:
    """Quote an offending cell in a message: cleaned and shortened."""
    t = visible(text)
    if len(t) > limit:
        t = t[: limit - 1] + "…"
    return f"'{t}'"
