"""A pybabel extractor for the domain's word tables (decision 0032): every string value of a dict literal
assigned to a name ending in ``_WORDS`` ("Late check-in", "Patient refused"), so the office catalogue
carries them and the pages translate them where they show them (``words`` filter), without a copy of the
tables in the office code. babel.cfg maps ``fieldapp/domain/*.py`` to it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import IO, Any


def word_tables(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign):
            target = node.target
        if not (isinstance(target, ast.Name) and target.id.endswith("_WORDS")):
            continue
        value = node.value
        if not isinstance(value, ast.Dict):
            continue
        for item in value.values:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                yield item.lineno, "", item.value, []
