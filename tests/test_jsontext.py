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


def test_report_rows_are_written_as_the_encoder_writes_their_dicts(plan: Any) -> None:
    """report --format json writes each row field by field: the same text as encoding its dict."""
    from aseanwp.dataset import Dataset
    from aseanwp.engine import Row, compute
    from aseanwp.render.report_views import _row_doc, _row_json
    from aseanwp.validation import run

    data = Dataset()
    run(plan, str(PLAN.parent / "reports"), (), data, warnings=False)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    rows = [r for year in range(2008, 2016) for r in compute(plan, data, year).rows]
    assert len(rows) > 1000 and any(r.notes for r in rows) and any(r.region for r in rows)
    odd = Row("I.a", "x", "ASEAN", {"population": "youth"}, "t", "decrease", 2008, 5.0, 2015, 2**60 + 0.0, 0.5,
              1e300, -0.0, 12.5, None, 2014, 3.0, float("nan"), 0.0, 2015, float("inf"), "mixed", -2.5, ["range"],
              ["BRN", "KHM"], [{"code": "KHM", "reason": "break"}], {"mixed": 2}, ["a:1", "é:2"], 2013,
              {"year": 2013, "value": 2.0, "change_pct": None}, 5.0, 0.25, [{"code": "stale", "year": 2014}],
              True, True, True, [(2008, 5.0), (2015, 2.5)], [], True)  # fmt: skip
    for r in [*rows, odd]:
        assert _row_json(r) == encode(_row_doc(r))
