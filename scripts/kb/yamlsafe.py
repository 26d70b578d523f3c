"""YAML without surprises: aliases found before anything is built, one-line errors with a line
number, impossible dates reported instead of raised, nothing executed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    _CSafeLoader = yaml.SafeLoader
else:  # the C-accelerated loader where libyaml is installed
    _CSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlProblem(Exception):
    """A YAML document that cannot be read: the 1-based line inside the document and a one-line message."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def one_line(exc: BaseException) -> tuple[int, str]:
    """(line, message) of a YAML error without quoting the document (it may hold anything)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None)
    if isinstance(exc, RecursionError):
        problem = "nested too deeply"
    text = str(problem or type(exc).__name__)
    return line, " ".join(text.split())


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as exc:
        raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is not a real date ({exc})", node.start_mark) from None


class SafeLoader(_CSafeLoader):
    """The safe loader (C-accelerated where available) with impossible dates reported at their line."""


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def aliases(text: str) -> list[tuple[int, int]]:
    """(character index, 1-based line) of every alias (`*name`) in the text, found without building anything."""
    found: list[tuple[int, int]] = []
    try:
        for event in yaml.parse(text, Loader=_CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                if mark is not None:
                    found.append((int(mark.index), int(mark.line) + 1))
    except yaml.YAMLError:
        pass  # reported when the document is loaded
    return found


def is_mapping(text: str) -> bool:
    """Whether the document is a mapping, decided without building it."""
    try:
        return isinstance(yaml.compose(text, Loader=_CSafeLoader), yaml.MappingNode)
    except (yaml.YAMLError, RecursionError):
        return False


def load(text: str) -> tuple[Any, yaml.Node | None]:
    """Parse and build one document with SafeLoader; raise YamlProblem instead of anything else."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        return loader.construct_document(node), node
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as exc:
        line, message = one_line(exc)
        raise YamlProblem(line, message) from None
    finally:
        loader.dispose()


def expanded_size(node: yaml.Node, limit: int) -> int:
    """Number of nodes the document has once every alias is expanded (stops counting past limit)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if key in sizes and not done:
            continue
        children: list[yaml.Node] = []
        if isinstance(current, yaml.SequenceNode):
            children = list(current.value)
        elif isinstance(current, yaml.MappingNode):
            children = [part for pair in current.value for part in pair]
        if not done:
            stack.append((current, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        sizes[key] = min(limit + 1, 1 + sum(sizes.get(id(child), 1) for child in children))
    return sizes.get(id(node), 1)
