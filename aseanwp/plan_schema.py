"""The plan file's schema: pydantic models built from the plan's dataclasses (``aseanwp.plan``), which validate a file
strictly and give its JSON Schema, and the way back from validated data to the dataclasses.

The dataclasses are the one description of the format: each field's type, its description and its constraints
(``Rule``) become a pydantic field here, and each part's ``problem`` a check after its fields. Imported only when
a plan must be validated (not found in the cache) or its schema printed: pydantic takes a tenth of a second to
import, more than a short command's whole work.
"""

from __future__ import annotations

import types
from dataclasses import MISSING, asdict, fields
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from aseanwp.plan import Node, Plan, Rule, from_data, hints, is_part, parts

# strict: the tool accepts exactly what the JSON Schema says (no '2008' for a year, no 1 for true), so an editor
# and `aseanwp validate` never disagree about a plan. No .inf or .nan: a target or threshold of infinity rated
# nothing and wrote `Infinity` (not JSON) in reports.
CONFIG = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def _constraints(rule: Rule | None) -> dict[str, Any]:
    return {} if rule is None else {k: v for k, v in asdict(rule).items() if v is not None}


def _model_type(tp: Any) -> Any:
    """The type with every plan dataclass replaced by its pydantic model, and Rules by pydantic constraints."""
    if is_part(tp):
        return model_of(tp)
    origin = get_origin(tp)
    if origin is Annotated:
        base, *meta = get_args(tp)
        extra = [Field(**_constraints(m)) if isinstance(m, Rule) else m for m in meta]
        return Annotated[(_model_type(base), *extra)]
    if origin in (list, dict):
        return origin[tuple(_model_type(a) for a in get_args(tp))]
    if origin in (Union, types.UnionType):
        return Union[tuple(_model_type(a) for a in get_args(tp))]  # noqa: UP007
    return tp


_MODELS: dict[type, type[BaseModel]] = {}


def model_of(cls: type[Node]) -> type[BaseModel]:
    """The pydantic model of one part of the plan, named and described as the dataclass is (made once)."""
    if cls not in _MODELS:
        _MODELS[cls] = _make_model(cls)
    return _MODELS[cls]


def _make_model(cls: type[Node]) -> type[BaseModel]:
    types_ = hints(cls)
    spec: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        meta = dict(f.metadata)
        kwargs = {"description": meta.get("description"), **_constraints(meta.get("rule"))}
        if f.default is not MISSING:
            default = f.default
            if is_part(type(default)):  # a part as default: the model's own instance, for the JSON Schema
                default = model_of(type(default)).model_validate(default.model_dump())
            kwargs["default"] = default
        elif f.default_factory is not MISSING:
            kwargs["default_factory"] = f.default_factory
        spec[f.name] = (_model_type(types_[f.name]), Field(**kwargs))
    problem = cls.problem

    def check(self: Any) -> Any:
        found = problem(self)
        if found:
            raise ValueError(found)
        return self

    validators: dict[str, Any] = {}
    if problem is not Node.problem:
        validators["check"] = model_validator(mode="after")(check)
    doc = (cls.__doc__ or "").strip().split("\n\n")[0]
    return create_model(cls.__name__, __config__=CONFIG, __doc__=doc, __validators__=validators, **spec)


def validate(data: Any) -> Plan:
    """Validate plain data (from YAML) into the plan; raises pydantic's ValidationError."""
    return from_data(Plan, model_of(Plan).model_validate(data).model_dump())  # type: ignore[no-any-return]


def json_schema() -> dict[str, Any]:
    for part in parts():  # every part by its own name in $defs
        model_of(part)
    return model_of(Plan).model_json_schema(mode="validation")
