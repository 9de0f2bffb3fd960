"""SearchContent's order: which of several matching sections comes first (api/search/queries.sql)."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.helpers import bearer
from tests.search.documents import publish_document

FILLER = "Chi bộ sinh hoạt định kỳ mỗi tháng một lần theo điều lệ. " * 12


async def _publish(client: AsyncTestClient[Any], admin: dict[str, str], sections: dict[str, str]) -> dict[str, str]:
    """A published document holding ``sections`` (title -> body); their ids by title."""
    ids = await publish_document(client, admin, list(sections.items()), slug="xep-hang")
    return dict(zip(sections, ids, strict=True))


async def _ranked(client: AsyncTestClient[Any], query: str) -> list[str]:
    member = await bearer(client, "demo.member")
    answer = (await client.get("/api/v1/search", params={"q": query}, headers=member)).json()
    ranks = [hit["rank"] for hit in answer["hits"]]
    assert ranks == sorted(ranks, reverse=True)
    return [hit["section_id"] for hit in answer["hits"]]


async def test_words_standing_together_rank_above_the_same_words_far_apart(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    ids = await _publish(
        client,
        admin,
        {
            "Xa nhau": f"Quy định về xylophon. {FILLER} Cuối cùng là quimbex.",
            "Liền nhau": f"{FILLER} Nói về xylophon quimbex của chi bộ. {FILLER}",
        },
    )
    assert await _ranked(client, "xylophon quimbex") == [ids["Liền nhau"], ids["Xa nhau"]]


async def test_a_section_about_the_words_ranks_above_one_mentioning_them_once(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    ids = await _publish(
        client,
        admin,
        {
            "Một lần": f"{FILLER} Có nhắc đến xylophon một lần. {FILLER}",
            "Nhiều lần": f"Xylophon là gì. {FILLER} Xylophon ở chi bộ. Xylophon hằng tháng. {FILLER}",
        },
    )
    assert await _ranked(client, "xylophon") == [ids["Nhiều lần"], ids["Một lần"]]


async def test_a_prefix_still_being_typed_ranks_and_finds_longer_words(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    ids = await _publish(client, admin, {"Tiền tố": f"{FILLER} Về xylophonium và quimbex. {FILLER}"})
    assert await _ranked(client, "quimbex xyloph") == [ids["Tiền tố"]]
