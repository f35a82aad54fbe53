"""Indented JSON as ``json.dumps(obj, indent=2, ensure_ascii=False)`` writes it, byte for byte, several times faster.

With ``indent`` the standard library falls back to its pure-Python encoder, a tower of nested generators that
took 1.9 s of the 2.4 s of rendering a review of 1,000 reporting units. This writer walks the data with plain
loops into one list of pieces; strings go through the same C function the standard encoder uses, numbers through
the same ``repr``. Anything it does not know (a subclass, an object) takes the standard library's rules, so the
text is the same; a test compares the two on real documents and on generated data.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

_INF = float("inf")
_float_repr = float.__repr__
_int_repr = int.__repr__


def _float(o: float) -> str:
    # json's floatstr with allow_nan=True
    if o != o:
        return "NaN"
    if o == _INF:
        return "Infinity"
    if o == -_INF:
        return "-Infinity"
    return _float_repr(o)


def dumps(obj: Any) -> str:
    """``json.dumps(obj, indent=2, ensure_ascii=False)``."""
    if isinstance(obj, str):
        return encode_basestring(obj)
    out: list[str] = []
    _value(obj, out, "\n")
    return "".join(out)


def _key(k: Any) -> str:
    if isinstance(k, str):
        return encode_basestring(k)
    if isinstance(k, float):
        return encode_basestring(_float(k))
    if k is True:
        return '"true"'
    if k is False:
        return '"false"'
    if k is None:
        return '"null"'
    if isinstance(k, int):
        return encode_basestring(_int_repr(k))
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")


def _value(o: Any, out: list[str], nl: str) -> None:
    """Append the text of ``o`` at the indentation ``nl`` (a newline and the current indent), as json does."""
    if isinstance(o, str):
        out.append(encode_basestring(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif isinstance(o, int):
        out.append(_int_repr(o))
    elif isinstance(o, float):
        out.append(_float(o))
    elif isinstance(o, list | tuple):
        _list(o, out, nl)
    elif isinstance(o, dict):
        _dict(o, out, nl)
    else:  # what the standard encoder would do with it (a TypeError, as json.dumps raises)
        out.append(json.dumps(o, indent=2, ensure_ascii=False).replace("\n", nl))


def _dict(d: dict[Any, Any], out: list[str], nl: str) -> None:
    if not d:
        out.append("{}")
        return
    inner = nl + "  "
    sep = "{" + inner
    after = "," + inner
    append = out.append
    for k, v in d.items():
        append(sep)
        sep = after
        append(encode_basestring(k) if k.__class__ is str else _key(k))
        append(": ")
        # the common leaves inline: a call per value was a third of the time
        t = v.__class__
        if t is str:
            append(encode_basestring(v))
        elif v is None:
            append("null")
        elif t is int:
            append(_int_repr(v))
        elif t is float:
            append(_float(v))
        else:
            _value(v, out, inner)
    append(nl + "}")


def _list(items: list[Any] | tuple[Any, ...], out: list[str], nl: str) -> None:
    if not items:
        out.append("[]")
        return
    inner = nl + "  "
    sep = "[" + inner
    after = "," + inner
    append = out.append
    for v in items:
        append(sep)
        sep = after
        t = v.__class__
        if t is str:
            append(encode_basestring(v))
        elif t is dict:
            _dict(v, out, inner)
        elif t is int:
            append(_int_repr(v))
        else:
            _value(v, out, inner)
    append(nl + "]")
