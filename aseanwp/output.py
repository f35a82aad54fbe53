"""Writing results: to stdout, or to a file atomically (a temporary file renamed into place)."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from typing import IO, Any


class OutputError(Exception):
    """The output could not be written (exit code 1); nothing was left behind."""


def _open(target: str | int, data: str | bytes) -> IO[Any]:
    """A file for ``data``: binary for bytes (a workbook), else UTF-8 text written as is (no newline changes)."""
    if isinstance(data, bytes):
        return open(target, "wb")  # noqa: SIM115 - the callers close it
    return open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115


def write_atomic(path: str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one, never a part."""
    target = os.path.abspath(path)
    folder = os.path.dirname(target)
    if os.path.isdir(target):
        raise OutputError(f"{path} is a folder")
    try:
        special = not stat.S_ISREG(os.stat(target).st_mode)
    except OSError:
        special = False
    if special:
        # a terminal, pipe or device (-o /dev/stdout, a FIFO): nothing can be renamed into its place, and
        # replacing it (/dev/null, as root) would be a disaster; write straight to it
        try:
            with _open(target, data) as fh:
                fh.write(data)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
        return
    if not os.path.isdir(folder):
        raise OutputError(f"cannot write {path}: the folder {os.path.dirname(path) or '.'} does not exist")
    try:
        import tempfile  # here: 5 ms of a start-up that writes nothing to a file

        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with _open(fd, data) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if os.path.exists(target):
            os.chmod(tmp, os.stat(target).st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
        raise


def emit(data: str, path: str | None = None) -> None:
    """Write a command's result to ``path`` (atomically) or to stdout."""
    if path is not None and path != "-":
        write_atomic(path, data)
    else:
        if sys.stdout is None:  # started with stdout closed (`aseanwp report >&-`)
            raise OutputError("standard output is closed; use -o FILE")
        sys.stdout.write(data)
        sys.stdout.flush()


def create_new(path: str, data: str | bytes, force: bool) -> None:
    """Write a file that must not replace an existing one unless ``force``."""
    if not force and os.path.lexists(path):
        raise OutputError(f"{path} already exists; use --force to replace it")
    write_atomic(path, data)
