"""The methods ``@dataclass(frozen=True, kw_only=True)`` writes for a class, written once: see ``Frozen``."""

from __future__ import annotations

from dataclasses import MISSING, FrozenInstanceError, fields
from typing import Any


class Frozen:
    """The methods ``@dataclass(frozen=True, kw_only=True)`` writes for a class, written once for all of the plan's.

    dataclasses compiles six functions per class with ``exec``: 96 for the plan's sixteen classes, 10 ms of every
    command's start (a tenth of ``validate`` on the shipped data). The plan's classes are dataclasses that write
    nothing (``init=False, repr=False, eq=False``) on this base instead: the same keyword-only constructor with
    defaults and factories, fields that cannot be set or deleted, equality, hash and repr by the fields. A test
    holds them to what dataclasses itself writes.
    """

    def __init__(self, **given: Any) -> None:
        cls = type(self)
        missing = []
        for name, default, factory in _init_fields(cls):
            if name in given:
                value = given.pop(name)
            elif default is not MISSING:
                value = default
            elif factory is not MISSING:
                value = factory()
            else:
                missing.append(f"'{name}'")
                continue
            object.__setattr__(self, name, value)
        if missing:  # worded as Python words it
            listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + ("," if len(missing) > 2 else "")
            listed += f" and {missing[-1]}" if len(missing) > 1 else ""
            raise TypeError(
                f"{cls.__qualname__}.__init__() missing {len(missing)} required keyword-only "
                f"argument{'s' if len(missing) > 1 else ''}: {listed}"
            )
        if given:
            raise TypeError(f"{cls.__qualname__}.__init__() got an unexpected keyword argument '{next(iter(given))}'")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name, _, _ in _init_fields(type(self)))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name, _, _ in _init_fields(type(self)))
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


_INIT_FIELDS: dict[type, list[tuple[str, Any, Any]]] = {}


def _init_fields(cls: type) -> list[tuple[str, Any, Any]]:
    """A class's fields as (name, default, default factory), in order (made once per class)."""
    found = _INIT_FIELDS.get(cls)
    if found is None:
        found = _INIT_FIELDS[cls] = [(f.name, f.default, f.default_factory) for f in fields(cls)]
    return found
