"""The fast indented JSON writer gives json.dumps(obj, indent=2, ensure_ascii=False), byte for byte."""

from __future__ import annotations

import json
from collections import Counter, OrderedDict
from typing import Any

import pytest
from conftest import PLAN, invoke_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from aseanwp import jsontext

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities too: json writes NaN, Infinity, -Infinity
    | st.text()
)
keys = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple) | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=30,
)


def same(obj: Any) -> None:
    assert jsontext.dumps(obj) == json.dumps(obj, indent=2, ensure_ascii=False)


@settings(max_examples=400, deadline=None)
@given(documents)
def test_generated_documents(obj: Any) -> None:
    same(obj)


@pytest.mark.parametrize(
    "obj",
    [{}, [], (), "", "é\u2028\x00\"\\", {"a": {}}, [[]], {"a": [{"b": ()}]}, Counter(a=2), OrderedDict(b=1),
     {1: 1, 2.5: 2, False: 3, None: 4}, 2**80, -0.0, [1e300, 1e-300]],
)  # fmt: skip
def test_edges(obj: Any) -> None:
    same(obj)


def test_what_json_refuses_is_refused_alike() -> None:
    for bad in ({"a": object()}, [{1j}], {(1, 2): 3}):
        with pytest.raises(TypeError):
            json.dumps(bad, indent=2)
        with pytest.raises(TypeError):
            jsontext.dumps(bad)


@pytest.mark.parametrize("args", [("review", "final", "--format", "json"), ("status", "--format", "json")])
def test_real_documents(args: tuple[str, ...]) -> None:
    text = invoke_cli("--plan", str(PLAN), *args).stdout
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
