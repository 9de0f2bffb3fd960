"""SearchContent over the seeded handbook: Vietnamese with or without diacritics, ranked, scoped."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from api.search.folding import fold
from tests.helpers import bearer


async def test_unaccented_query_finds_accented_text_with_highlights(client: AsyncTestClient[Any]) -> None:
    member = await bearer(client, "demo.member")
    plain = (await client.get("/api/v1/search", params={"q": "nghi quyet"}, headers=member)).json()
    accented = (await client.get("/api/v1/search", params={"q": "Nghị Quyết"}, headers=member)).json()
    assert plain["hits"], "the seeded handbook speaks of nghị quyết"
    assert [h["section_id"] for h in plain["hits"]] == [h["section_id"] for h in accented["hits"]]
    ranks = [hit["rank"] for hit in plain["hits"]]
    assert ranks == sorted(ranks, reverse=True)
    first = plain["hits"][0]["snippet_html"]
    marked = first.split("<mark>")[1].split("</mark>")[0]
    assert fold(marked) in {"nghi", "quyet"}
    assert marked != fold(marked), "the highlight shows the original, accented word"


async def test_d_and_dj_are_the_same_letter(client: AsyncTestClient[Any]) -> None:
    member = await bearer(client, "demo.member")
    hits = (await client.get("/api/v1/search", params={"q": "dang vien"}, headers=member)).json()["hits"]
    assert hits
    assert any("<mark>đảng</mark>" in hit["snippet_html"].lower() for hit in hits)


async def test_search_sees_only_what_the_member_may_read(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    draft = (
        await client.post(
            "/api/v1/documents", headers=admin, json={"slug": "bi-mat", "kind": "guide", "title": "Bản nháp"}
        )
    ).json()
    await client.post(
        f"/api/v1/documents/{draft['id']}/sections",
        headers=admin,
        json={"title": "Chưa công bố", "body_md": "Từ khoá độc nhất: xylophonium."},
    )
    assert (await client.get("/api/v1/search", params={"q": "xylophonium"}, headers=member)).json()["hits"] == []
    editor_view = (await client.get("/api/v1/search", params={"q": "xylophonium"}, headers=admin)).json()
    assert editor_view["hits"] == [], "search shows published content only, also to editors"


async def test_hostile_queries_are_just_words(client: AsyncTestClient[Any]) -> None:
    member = await bearer(client, "demo.member")
    for query in ("a & b | !c:*", "'); drop table sections; --", "\\", "&&&", "***"):
        response = await client.get("/api/v1/search", params={"q": query}, headers=member)
        assert response.status_code == 200, query
    assert (await client.get("/api/v1/search", params={"q": ""}, headers=member)).status_code == 400
    assert (await client.get("/api/v1/search", params={"q": "x" * 201}, headers=member)).status_code == 400
