"""Search the handbook in Vietnamese, with or without diacritics, within what the caller may read."""

from __future__ import annotations

import re

import msgspec

from api.db import Connection
from api.handbook.scope import ContentScope
from api.search.folding import query_terms, to_tsquery_text
from api.search.snippets import highlight_html, snippet
from api.sql import queries_beside

Q = queries_beside(__file__)
# Markdown punctuation that would only clutter a snippet; removing characters keeps it readable.
_MARKUP = re.compile(r"[#*_`>|]+|^\s*[-+]\s+|\[|\]\([^)]*\)", re.MULTILINE)
_SPACE = re.compile(r"\s+")


class SearchHit(msgspec.Struct, frozen=True):
    section_id: str
    document_id: str
    document_title: str
    title: str
    snippet_html: str
    """The best passage of the original, accented text, HTML-escaped, matches in ``<mark>``."""
    rank: float


class SearchResults(msgspec.Struct, frozen=True):
    query: str
    terms: list[str]
    hits: list[SearchHit]


async def search(conn: Connection, scope: ContentScope, query: str, *, limit: int) -> SearchResults:
    terms = query_terms(query)
    if not terms:
        return SearchResults(query=query, terms=[], hits=[])
    rows = await conn.fetch(Q["search_sections"], scope.ancestors, scope.staff, to_tsquery_text(terms), limit)
    hits = [
        SearchHit(
            section_id=str(row["section_id"]),
            document_id=str(row["document_id"]),
            document_title=row["document_title"],
            title=row["title"],
            snippet_html=highlight_html(snippet(plain_text(row["body_md"]), terms)),
            rank=round(row["rank"], 6),
        )
        for row in rows
    ]
    return SearchResults(query=query, terms=terms, hits=hits)


def plain_text(markdown: str) -> str:
    """Markdown source as running text for snippets."""
    return _SPACE.sub(" ", _MARKUP.sub(" ", markdown)).strip()
