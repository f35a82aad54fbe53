"""The plan's classes take their methods from plan.Frozen instead of letting dataclasses compile six functions
each (a tenth of validate's start-up): they behave as @dataclass(frozen=True, kw_only=True) classes would."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from conftest import PLAN

from aseanwp import plan as p
from aseanwp.frozen import Frozen
from aseanwp.plan import load_plan

CLASSES = [*p.parts(), p.Rule]


def twin(cls: type) -> type:
    """The same fields as a real frozen, keyword-only dataclass of the same name."""
    spec = []
    for f in dataclasses.fields(cls):
        extra = {}
        if f.default is not dataclasses.MISSING:
            extra["default"] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            extra["default_factory"] = f.default_factory
        spec.append((f.name, f.type, dataclasses.field(**extra)))
    return dataclasses.make_dataclass(cls.__name__, spec, frozen=True, kw_only=True)


def instances() -> list[Any]:
    """Every part of the shipped plan, and a few made by hand."""
    plan = load_plan(PLAN)
    found: list[Any] = [plan, p.Rule(pattern="x", ge=1), p.Rule()]
    stack: list[Any] = [plan]
    while stack:
        x = stack.pop()
        for f in dataclasses.fields(x):
            v = getattr(x, f.name)
            for item in v if isinstance(v, list) else v.values() if isinstance(v, dict) else [v]:
                if isinstance(item, Frozen):
                    found.append(item)
                    stack.append(item)
    return found


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_class_is_a_dataclass_with_frozens_methods(cls: type) -> None:
    assert dataclasses.is_dataclass(cls) and issubclass(cls, Frozen)
    for name in ("__init__", "__eq__", "__hash__", "__repr__", "__setattr__", "__delattr__"):
        assert name not in vars(cls), f"{cls.__name__} has its own {name}: dataclasses compiled it"


def test_instances_behave_as_frozen_dataclasses() -> None:
    seen = set()
    for x in instances():
        cls = type(x)
        seen.add(cls)
        ref = twin(cls)
        values = {f.name: getattr(x, f.name) for f in dataclasses.fields(x)}
        y, r = cls(**values), ref(**values)
        assert repr(y) == repr(r) == repr(x)
        assert y == x and (y != x) is False and y is not x
        assert (y == object()) is False and (r == object()) is False
        try:
            expected: int | type[Exception] = hash(r)
        except TypeError:
            expected = TypeError
        if expected is TypeError:
            with pytest.raises(TypeError):
                hash(y)
        else:
            assert hash(y) == expected
        for action in (lambda o: setattr(o, "year", 1), lambda o: delattr(o, dataclasses.fields(o)[0].name)):
            with pytest.raises(dataclasses.FrozenInstanceError) as ours:
                action(y)
            with pytest.raises(dataclasses.FrozenInstanceError) as theirs:
                action(r)
            assert str(ours.value) == str(theirs.value)
        assert dataclasses.asdict(y) == dataclasses.asdict(r)
        assert dataclasses.replace(y) == y
    assert seen >= set(p.parts())


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_defaults_and_wrong_arguments_as_dataclasses(cls: type) -> None:
    ref = twin(cls)
    required = [f.name for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING]  # fmt: skip
    if not required:
        assert repr(cls()) == repr(ref())
    else:
        messages = []
        for call in (cls, ref):
            with pytest.raises(TypeError) as caught:
                call()
            messages.append(str(caught.value))
        assert messages[0] == messages[1], messages
    for call in (cls, ref):
        with pytest.raises(TypeError, match="unexpected keyword argument 'nonsense'"):
            call(nonsense=1, **{n: None for n in required})
    a, b = cls(**{n: "x" for n in required}), cls(**{n: "x" for n in required})
    for name in dataclasses.fields(cls):  # each default factory makes a new value for each instance
        va, vb = getattr(a, name.name), getattr(b, name.name)
        if isinstance(va, list | dict):
            assert va == vb and va is not vb
