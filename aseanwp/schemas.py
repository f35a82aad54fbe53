"""JSON Schemas for editors and other tools, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def plan_schema() -> str:
    from aseanwp.plan_schema import json_schema

    schema = json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "aseanwp plan file (workplan.yaml)"
    return _dump(schema)


def report_schema() -> str:
    from aseanwp.rows import IndicatorRow

    schema = IndicatorRow.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return _dump(schema)
