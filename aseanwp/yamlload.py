"""Load YAML safely and keep where each value came from.

The node graph is composed (never constructed by PyYAML, so no tag can run code), then turned into plain Python
data by our own walk, which refuses duplicate keys, tags, and alias expansion or nesting beyond sane bounds, and
records the line of every value by its path (``("indicators", 3, "unit")``).

Plain scalars are read as YAML 1.2 reads them (the core schema), as editors and JSON Schema tools do: only
true/false are booleans, so a member code ``NO`` or ``ON`` stays text, and ``010`` is ten, not eight. PyYAML
reads YAML 1.1, where ``no`` is false; left to it, the tool and the schema would disagree about the same file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from aseanwp.findings import Finding, finding

try:  # libyaml's composer is several times faster; same nodes, same marks
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_NODES = 1_000_000  # values in all: the shipped plan has about 1,500, one of 50,000 districts about 50,000
MAX_ALIASED = 100_000  # values reached again through aliases: a plan needs none, and alias bombs blow past this
MAX_DEPTH = 64
MAX_BYTES = 16 * 1024 * 1024

Path = tuple[str | int, ...]

# The YAML 1.2 core schema's plain scalars (https://yaml.org/spec/1.2.2/#1032-tag-resolution)
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_RESOLVED = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


def core_scalar(text: str) -> Any:
    """A plain scalar by the YAML 1.2 core schema: null, bool, int, float, or the text itself."""
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.fullmatch(text):
        return int(text)
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    return text


class YamlProblem(Exception):
    """The document cannot be turned into data; carries the finding."""

    def __init__(self, found: Finding) -> None:
        super().__init__(found.message)
        self.finding = found


@dataclass
class Located:
    """Plain data and the 1-based line of every path in it."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """The line of the value at ``path``, or of its closest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)


_STR = "tag:yaml.org,2002:str"
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class _Walker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.nodes = 0
        self.visited: set[int] = set()  # node ids: an alias makes the composer hand the same node again
        self.aliased = 0
        self.lines: dict[Path, int] = {}
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def fail(self, node: yaml.Node, code: str, message: str, hint: str) -> YamlProblem:
        return YamlProblem(finding(self.file, node.start_mark.line + 1, code, message, hint))

    def walk(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.nodes += 1
        if id(node) in self.visited:
            self.aliased += 1
        else:
            self.visited.add(id(node))
        if self.aliased > MAX_ALIASED:
            raise self.fail(
                node,
                "too-complex",
                f"the document is too complex (alias expansion beyond {MAX_ALIASED:,} values)",
                "a plan needs no anchors or aliases; write the values out",
            )
        if depth > MAX_DEPTH:
            raise self.fail(
                node,
                "too-complex",
                f"the document is too complex (nesting beyond {MAX_DEPTH})",
                "a plan needs little nesting",
            )
        if self.nodes > MAX_NODES:
            raise self.fail(
                node,
                "too-large",
                f"the document holds over {MAX_NODES:,} values; a plan has a few thousand",
                "check that the file is the plan; split very long lists of dimension values or members",
            )
        self.lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in _STANDARD_TAGS:
            raise self.fail(
                node,
                "yaml-syntax",
                f"YAML tag '{node.tag}' is not allowed in a plan file",
                "remove the tag: the plan holds plain text, numbers, lists and mappings",
            )
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            first: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, "yaml-syntax", "merge keys ('<<') are not allowed", "write the keys out")
                key = self.walk(key_node, path + ("<key>",), depth + 1)
                if not isinstance(key, str | int) or isinstance(key, bool):
                    key = str(key)
                if key in first:
                    raise self.fail(
                        key_node,
                        "duplicate-key",
                        f"key '{key}' appears twice in one mapping (first on line {first[key]})",
                        "remove or rename one of them: YAML would silently keep only the last",
                    )
                first[key] = key_node.start_mark.line + 1
                child = path + (key,)
                self.lines[child] = key_node.start_mark.line + 1
                out[str(key)] = self.walk(value_node, child, depth + 1)
            self.lines.pop(path + ("<key>",), None)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        plain = isinstance(node, yaml.ScalarNode) and not node.style  # None from PyYAML, "" from libyaml
        if node.tag == _STR and not plain:  # quoted or a block: text; most of a plan skips the constructor
            return node.value
        if plain and (node.tag in _RESOLVED or node.tag == _STR):
            return core_scalar(node.value)  # YAML 1.2, not PyYAML's 1.1 (see the module's docstring)
        return self.constructor.construct_object(node)  # dates: PyYAML's timestamps


def load(text: str, file: str) -> Located:
    """Parse ``text`` (the content of ``file``) into plain data with lines; raises YamlProblem."""
    if len(text) > MAX_BYTES:
        raise YamlProblem(finding(file, None, "too-large", f"the file is over {MAX_BYTES // 2**20} MiB", ""))
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or str(exc)
        if "maximum nesting depth" in problem:  # libyaml's own bound on nesting
            raise YamlProblem(
                finding(
                    file,
                    line,
                    "too-complex",
                    "the document is nested too deeply",
                    "a plan needs little nesting",
                )
            ) from None
        if exc.context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
            # e.g. a quote never closed: the problem shows at the end of the file, the cause where it opened
            problem += f" ({exc.context} on line {exc.context_mark.line + 1})"
        raise YamlProblem(
            finding(file, line, "yaml-syntax", f"YAML syntax: {problem}", "check indentation, colons and quotes")
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(
            finding(file, 1, "yaml-syntax", f"YAML syntax: {exc}", "save the file as UTF-8 YAML")
        ) from None
    except RecursionError:
        raise YamlProblem(
            finding(file, 1, "too-complex", "the document is nested too deeply", "a plan needs little nesting")
        ) from None
    if root is None:
        raise YamlProblem(finding(file, None, "empty-file", "the plan file is empty", "start from data/workplan.yaml"))
    walker = _Walker(file)
    try:
        data = walker.walk(root, (), 0)
    except RecursionError:
        raise YamlProblem(
            finding(file, 1, "too-complex", "the document is nested too deeply", "a plan needs little nesting")
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(finding(file, 1, "yaml-syntax", f"YAML: {exc}", "check the value's syntax")) from None
    return Located(data, walker.lines)
