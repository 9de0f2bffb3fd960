"""Named SQL blocks loaded from ``.sql`` files next to each repository.

A file holds blocks introduced by ``-- name: some_query`` and a one-line description. Queries are
written with bound parameters only (``$1``); nothing is ever formatted into them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import LiteralString

_NAME = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


class SqlFileError(Exception):
    """A .sql file is malformed: a duplicate or empty block."""


def load_queries(path: Path) -> dict[str, LiteralString]:
    """Read the named blocks of one .sql file into a dict, failing loudly on mistakes."""
    text = path.read_text(encoding="utf-8")
    matches = list(_NAME.finditer(text))
    queries: dict[str, LiteralString] = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = "\n".join(
            line for line in text[match.end() : end].splitlines() if line.strip() and not line.lstrip().startswith("--")
        ).strip()
        name = match.group(1)
        if not body:
            raise SqlFileError(f"{path.name}: block {name!r} is empty")
        if name in queries:
            raise SqlFileError(f"{path.name}: block {name!r} appears twice")
        # The text comes from our own files, never from input: it is as literal as a string constant.
        queries[name] = body
    return queries


def queries_beside(module_file: str) -> dict[str, LiteralString]:
    """Load ``queries.sql`` from the folder of the calling module."""
    return load_queries(Path(module_file).with_name("queries.sql"))
