"""Search the handbook in Vietnamese, with or without diacritics, within what the caller may read."""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

import msgspec

from api.db import Pool
from api.handbook.scope import ContentScope
from api.search.folding import prefix_expansion, query_terms, search_words, to_tsquery_text
from api.search.index import SearchIndex
from api.search.snippets import highlight_html, plain_text, snippet
from api.sql import queries_beside

if TYPE_CHECKING:
    from api.search.cache import SearchCache

log = logging.getLogger("ehandbook.search")

Q = queries_beside(__file__)
RANKED_CANDIDATES = 200
"""How many matching sections are ranked at most (see the query); the best of them are returned."""
PREFIX_WORDS = 32
"""The last term is looked up as these many indexed words at most; a shorter prefix stays a prefix."""


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


async def search(pool: Pool, cache: SearchCache, scope: ContentScope, query: str, *, limit: int) -> SearchResults:
    """Ranked sections the caller may read: from the cache when the same search was answered since the
    last content change; else from the worker's index while it is current (no query at all), or else
    one statement on a connection without a transaction."""
    terms = query_terms(query)
    if not terms:
        return SearchResults(query=query, terms=[], hits=[])
    key = cache.key(terms, limit, scope)
    hits = cache.get(key)
    if hits is None:
        epoch = cache.epoch()
        index = None if cache.index is None else cache.index.current
        hits = None
        # Only ASCII terms: PostgreSQL's parser may split a word of other scripts where Python does not,
        # and the index holds PostgreSQL's words; such a search is left to the statement.
        if index is not None and all(term.isascii() for term in terms):
            try:
                hits = _indexed_search(index, scope, terms, limit)
            except Exception:
                # No answer depends on the index: a fault in it costs a slower search, never a failed one.
                # The terms are not logged: members type anything into the box, a citizen ID number too.
                log.exception("search index failed on a search of %d terms; answered with SQL", len(terms))
        if hits is None:
            hits = await _sql_search(pool, scope, terms, limit)
        cache.put(key, hits, epoch=epoch)
    return SearchResults(query=query, terms=terms, hits=hits)


def _indexed_search(index: SearchIndex, scope: ContentScope, terms: list[str], limit: int) -> list[SearchHit]:
    ranked = index.search(search_words(terms), scope.ancestors, scope.staff, limit=limit)
    return [
        SearchHit(
            section_id=hit.section_id,
            document_id=hit.document_id,
            document_title=hit.document_title,
            title=hit.title,
            # The index keeps each section's plain text, NFC-normalised: no query, no Markdown to strip.
            snippet_html=highlight_html(snippet(hit.text, terms)),
            rank=hit.rank,
        )
        for hit in ranked
    ]


async def _sql_search(pool: Pool, scope: ContentScope, terms: list[str], limit: int) -> list[SearchHit]:
    head, last = prefix_expansion(terms)
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            Q["search_sections"],
            scope.ancestors,
            scope.staff,
            to_tsquery_text(terms),
            limit,
            RANKED_CANDIDATES,
            last,
            head,
            PREFIX_WORDS,
        )
    return [
        SearchHit(
            section_id=str(row["section_id"]),
            document_id=str(row["document_id"]),
            document_title=row["document_title"],
            title=row["title"],
            snippet_html=_snippet_html(row["body_md"], tuple(terms)),
            rank=round(row["rank"], 6),
        )
        for row in rows
    ]


_plain_text = functools.lru_cache(maxsize=10_000)(plain_text)


@functools.lru_cache(maxsize=8192)
def _snippet_html(markdown: str, terms: tuple[str, ...]) -> str:
    # Members search the same few words over the same sections all day; a snippet is pure, so keep it.
    return highlight_html(snippet(_plain_text(markdown), list(terms)))
