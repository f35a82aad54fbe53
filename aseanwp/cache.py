"""A cache of work already done, in the user's cache folder (never beside the data), keyed by the bytes of what it was
made from and this version of aseanwp.

Entries are JSON (never pickle: a file that code can be run from has no place in a folder other programs may
write). Anything that goes wrong (no folder, no permission, a full disk, a corrupt or foreign entry) makes the
cache miss, never fail a command, and never changes a result. ``ASEANWP_NO_CACHE`` (any value) or ``--no-cache``
turns it off; ``ASEANWP_CACHE_DIR`` moves it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import Any

from aseanwp import __version__

try:  # blake2b without loading OpenSSL, which hashlib does first (3 ms of every start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

_disabled = False
FORMAT = 1  # of the entries; with the version, a new aseanwp never reads an old entry


def disable() -> None:
    """Turn the cache off for this process (--no-cache)."""
    global _disabled
    _disabled = True


def enabled() -> bool:
    return not _disabled and not os.environ.get("ASEANWP_NO_CACHE")


def folder() -> str:
    """The user's cache folder for aseanwp: XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows."""
    given = os.environ.get("ASEANWP_CACHE_DIR")
    if given:
        return given
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
        return os.path.join(base, "aseanwp", "Cache")
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/aseanwp")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "aseanwp")


def digest(data: bytes) -> str:
    """A digest of some bytes (a report file's), as hex."""
    return blake2b(data, digest_size=20).hexdigest()


def key(kind: str, *parts: bytes | str) -> str:
    """The entry's name: what it is, and a digest of everything it depends on (with the version)."""
    h = blake2b(digest_size=20)
    for part in (kind, __version__, str(FORMAT), *parts):
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return f"{kind}-{h.hexdigest()}.json"


def get(name: str) -> Any | None:
    """The entry's data, or None (off, missing, unreadable, or not ours)."""
    if not enabled():
        return None
    try:
        with open(os.path.join(folder(), name), encoding="utf-8") as fh:
            entry = json.load(fh)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(entry, dict) or entry.get("aseanwp") != __version__ or entry.get("format") != FORMAT:
        return None
    return entry.get("data")


def prune(kind: str, keep: int) -> None:
    """Keep the ``keep`` most recently used entries of ``kind`` (by modification time; ``touch`` marks a use) and
    remove the others: a changed plan or a new version leaves its old entries behind. Failures are ignored."""
    if not enabled():
        return
    with contextlib.suppress(OSError):
        where = folder()
        found = []
        for entry in os.scandir(where):
            if entry.name.startswith(f"{kind}-") and entry.name.endswith(".json"):
                with contextlib.suppress(OSError):
                    found.append((entry.stat().st_mtime, entry.name))
        for _, name in sorted(found, reverse=True)[keep:]:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(where, name))


def touch(name: str) -> None:
    """Mark an entry as used now (for ``prune``); failures are ignored."""
    if enabled():
        with contextlib.suppress(OSError):
            os.utime(os.path.join(folder(), name))


def put(name: str, data: Any) -> None:
    """Store an entry atomically (a reader never sees half of one); any failure is ignored."""
    if not enabled():
        return
    import tempfile

    where = folder()
    with contextlib.suppress(OSError, ValueError, TypeError, RecursionError):
        # dumps, then one write: json.dump writes each of its many small pieces separately (seconds on a cache
        # of 8,000 checked files)
        text = json.dumps({"aseanwp": __version__, "format": FORMAT, "data": data}, ensure_ascii=False)
        os.makedirs(where, mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, os.path.join(where, name))
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
