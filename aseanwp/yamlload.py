"""Load YAML safely and keep where each value came from.

The node graph is composed (never constructed by PyYAML, so no tag can run code), then turned into plain Python
data by our own walk, which refuses duplicate keys, tags, and alias expansion or nesting beyond sane bounds, and
records the line of every value by its path (``("indicators", 3, "unit")``).
"""

from __future__ import annotations

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
        if node.tag == _STR:  # most of a plan: skip the constructor's bookkeeping
            return node.value
        return self.constructor.construct_object(node)


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
