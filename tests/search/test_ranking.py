"""SearchContent's order: which of several matching sections comes first.

Each order is asked of the app once its in-memory index is current (api/search/index.py), and of the
SQL statement that answers while it is not (api/search/queries.sql): both must rank alike here.
"""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from api.handbook.scope import ContentScope
from api.search.folding import query_terms
from api.search.service import _sql_search
from tests.helpers import bearer
from tests.search.documents import publish_document
from tests.search.indexed import Live, app_settled

FILLER = "Chi bộ sinh hoạt định kỳ mỗi tháng một lần theo điều lệ. " * 12


async def _publish(client: AsyncTestClient[Any], admin: dict[str, str], sections: dict[str, str]) -> dict[str, str]:
    """A published document holding ``sections`` (title -> body); their ids by title."""
    ids = await publish_document(client, admin, list(sections.items()), slug="xep-hang")
    return dict(zip(sections, ids, strict=True))


async def _ranked(client: AsyncTestClient[Any], live: Live, database_url: str, query: str) -> list[str]:
    """The app's order (from its index), checked to be the statement's for a province-wide reader."""
    app_settled(client, database_url)
    member = await bearer(client, "demo.member")
    answer = (await client.get("/api/v1/search", params={"q": query}, headers=member)).json()
    ranks = [hit["rank"] for hit in answer["hits"]]
    assert ranks == sorted(ranks, reverse=True)
    found = [hit["section_id"] for hit in answer["hits"]]
    province = await live.pool.fetchval("select id from org_units where parent_id is null")
    scope = ContentScope(ancestors=[province], staff=[], editor=[])
    assert [hit.section_id for hit in await _sql_search(live.pool, scope, query_terms(query), 20)] == found
    return found


async def test_words_standing_together_rank_above_the_same_words_far_apart(
    client: AsyncTestClient[Any], live: Live, database_url: str
) -> None:
    admin = await bearer(client, "demo.admin")
    ids = await _publish(
        client,
        admin,
        {
            "Xa nhau": f"Quy định về xylophon. {FILLER} Cuối cùng là quimbex.",
            "Liền nhau": f"{FILLER} Nói về xylophon quimbex của chi bộ. {FILLER}",
        },
    )
    assert await _ranked(client, live, database_url, "xylophon quimbex") == [ids["Liền nhau"], ids["Xa nhau"]]


async def test_a_section_about_the_words_ranks_above_one_mentioning_them_once(
    client: AsyncTestClient[Any], live: Live, database_url: str
) -> None:
    admin = await bearer(client, "demo.admin")
    ids = await _publish(
        client,
        admin,
        {
            "Một lần": f"{FILLER} Có nhắc đến xylophon một lần. {FILLER}",
            "Nhiều lần": f"Xylophon là gì. {FILLER} Xylophon ở chi bộ. Xylophon hằng tháng. {FILLER}",
        },
    )
    assert await _ranked(client, live, database_url, "xylophon") == [ids["Nhiều lần"], ids["Một lần"]]


async def test_a_prefix_still_being_typed_ranks_and_finds_longer_words(
    client: AsyncTestClient[Any], live: Live, database_url: str
) -> None:
    admin = await bearer(client, "demo.admin")
    ids = await _publish(client, admin, {"Tiền tố": f"{FILLER} Về xylophonium và quimbex. {FILLER}"})
    assert await _ranked(client, live, database_url, "quimbex xyloph") == [ids["Tiền tố"]]
