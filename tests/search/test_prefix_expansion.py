"""The last word, still being typed, is looked up as the indexed words starting with it (migration 0016).

The words table must hold every word of the live sections, however they were written: a word missing would
make a prefix expanded from it miss sections. Words no section holds any more may stay (they only make
an expansion longer).
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from api.db import connect
from api.search.folding import prefix_expansion
from api.search.service import PREFIX_WORDS
from tests.helpers import bearer
from tests.search.documents import publish_document

FILLER = "Chi bộ sinh hoạt định kỳ mỗi tháng một lần theo điều lệ."


async def _document(
    client: AsyncTestClient[Any], admin: dict[str, str], sections: list[tuple[str, str]], slug: str = "tien-to"
) -> list[str]:
    """A published document holding ``sections`` (title, body); their ids in order."""
    return await publish_document(client, admin, sections, slug=slug)


async def _found(client: AsyncTestClient[Any], query: str) -> list[str]:
    member = await bearer(client, "demo.member")
    answer = await client.get("/api/v1/search", params={"q": query}, headers=member)
    assert answer.status_code == 200, answer.text
    return [hit["section_id"] for hit in answer.json()["hits"]]


async def _words_match_the_sections(database_url: str) -> None:
    """Every word of the live sections is in the words table."""
    conn = await connect(database_url)
    try:
        missing = await conn.fetch(
            "select t.word from ts_stat('select search_tsv from sections where deleted_at is null') t "
            "where not exists (select 1 from search_words w where w.word = t.word)"
        )
        assert await conn.fetchval("select count(*) from search_words") > 0
    finally:
        await conn.close()
    assert [row["word"] for row in missing] == []


def test_the_last_term_is_split_from_the_others() -> None:
    assert prefix_expansion(["nghi", "quyet", "hoc"]) == ("nghi & quyet", "hoc")
    assert prefix_expansion(["hoc"]) == (None, "hoc")
    assert prefix_expansion(["Đảng", "viên"]) == ("dang", "vien")
    long = "x" * 40
    assert prefix_expansion([long, "hoc"]) == (f"{long}:*", "hoc"), "a cut term stays a prefix"
    with pytest.raises(ValueError, match="no search terms"):
        prefix_expansion(["!!"])


async def test_a_word_still_being_typed_finds_the_longer_words(client: AsyncTestClient[Any], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    short, longer, other = await _document(
        client,
        admin,
        [
            ("Ngắn", f"{FILLER} Quimbex và xylo."),
            ("Dài", f"{FILLER} Quimbex và Xylophonium."),
            ("Khác", f"{FILLER} Xylophonist không có từ kia."),
        ],
    )
    assert sorted(await _found(client, "quimbex xylo")) == sorted([short, longer])
    assert await _found(client, "quimbex xyloph") == [longer]
    assert sorted(await _found(client, "xyloph")) == sorted([longer, other])
    assert await _found(client, "quimbex xylophz") == []
    await _words_match_the_sections(database_url)


async def test_a_prefix_of_many_words_still_finds_the_rarest(client: AsyncTestClient[Any], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    common = " ".join(f"zqv{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(PREFIX_WORDS + 4))
    ids = await _document(client, admin, [("Nhiều", f"{FILLER} {common}"), ("Hiếm", f"{FILLER} {common} zqvrare")])
    rare = await _document(client, admin, [("Một", f"{FILLER} Quimbex zqvzzz.")], slug="hiem")
    assert await _found(client, "quimbex zqv") == rare, "more words than are looked up: the prefix decides"
    assert sorted(await _found(client, "zqva")) == sorted(ids)
    await _words_match_the_sections(database_url)


async def test_editing_and_deleting_sections_keeps_the_words_right(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    admin = await bearer(client, "demo.admin")
    first, second = await _document(
        client, admin, [("Một", f"{FILLER} Quimbex xylophonium."), ("Hai", f"{FILLER} Quimbex xylophonium.")]
    )
    edited = await client.put(
        f"/api/v1/sections/{first}",
        headers=admin,
        json={"revision": 1, "title": "Một", "body_md": f"{FILLER} Quimbex marimbaphon."},
    )
    assert edited.status_code == 200, edited.text
    await _words_match_the_sections(database_url)
    assert await _found(client, "quimbex marimb") == [first]
    assert await _found(client, "quimbex xyloph") == [second], "another section still holds the old word"

    deleted = await client.delete(f"/api/v1/sections/{second}", params={"revision": 1}, headers=admin)
    assert deleted.status_code == 204, deleted.text
    await _words_match_the_sections(database_url)
    assert await _found(client, "quimbex xyloph") == []
    assert await _found(client, "quimbex marimb") == [first]


async def test_bulk_writes_keep_the_words_right(database_url: str) -> None:
    conn = await connect(database_url)
    try:
        document = await conn.fetchval("select id from documents order by id limit 1")
        async with conn.transaction():
            await conn.execute("update sections set deleted_at = now() where document_id = $1", document)
            await conn.execute(
                "update sections set search_text = search_text || ' zqxextra' where document_id = $1", document
            )
            await conn.execute("update sections set position = position")  # the words do not move
        assert await conn.fetchval("select count(*) from search_words where word = 'zqxextra'") == 0, "not live"
        await conn.execute("update sections set deleted_at = null where document_id = $1", document)
        assert await conn.fetchval("select count(*) from search_words where word = 'zqxextra'") == 1, "live again"
        await conn.execute(
            "insert into sections (document_id, position, title, body_md, body_html, search_text, content_hash, "
            "ack_hash, requires_ack) select document_id, position + 1000, title, body_md, body_html, "
            "search_text || ' zqxcopy', content_hash, ack_hash, requires_ack from sections where document_id = $1",
            document,
        )
        assert await conn.fetchval("select count(*) from search_words where word = 'zqxcopy'") == 1
    finally:
        await conn.close()
    await _words_match_the_sections(database_url)
