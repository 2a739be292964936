"""A pybabel extractor for the words the domain gives the office pages (decision 0032), so the office
catalogue carries them and the pages translate them where they show them (the ``words`` filter), without
a copy of the domain's tables in the office code. babel.cfg maps ``fieldapp/domain/**.py`` to it; it yields

* every string of a dict or tuple literal assigned to a name ending in ``_WORDS`` ("Late check-in");
* the values of the enumerations named in the option ``enums`` as the pages show them ("as needed");
* the string argument at a position of the calls named in ``calls`` (``Duty:2``: "Bathing").
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import IO, Any

Found = tuple[int, str, str, list[str]]


def word_tables(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, str]
) -> Iterator[Found]:
    tree = ast.parse(fileobj.read())
    enums = set(options.get("enums", "").split())
    calls = dict(spec.split(":") for spec in options.get("calls", "").split())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            yield from _table(node)
        elif isinstance(node, ast.ClassDef) and node.name in enums:
            yield from _members(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in calls:
            position = int(calls[node.func.id]) - 1
            if position < len(node.args):
                yield from _strings([node.args[position]])


def _table(node: ast.Assign | ast.AnnAssign) -> Iterator[Found]:
    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
    if not (isinstance(target, ast.Name) and target.id.endswith("_WORDS")):
        return
    if isinstance(node.value, ast.Dict):
        yield from _strings([v for v in node.value.values if v is not None])
    elif isinstance(node.value, ast.Tuple):
        yield from _strings(node.value.elts)


def _members(node: ast.ClassDef) -> Iterator[Found]:
    for item in node.body:
        value = item.value if isinstance(item, ast.Assign) else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            yield item.lineno, "", value.value.replace("_", " "), []


def _strings(nodes: list[ast.expr]) -> Iterator[Found]:
    for item in nodes:
        if isinstance(item, ast.Constant) and isinstance(item.value, str):
            yield item.lineno, "", item.value, []
