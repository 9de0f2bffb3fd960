"""The worker's in-memory index (api/search/index.py, live_index.py) finds what the SQL statement finds.

Every check asks both for the same scope and compares the sections found; changes are written with SQL,
as any writer may, and reach the index only through PostgreSQL's announcements.
"""

from __future__ import annotations

import asyncio
from typing import Any

from api.db import connect, create_pool
from api.handbook.scope import ContentScope
from api.handbook.service import derived_columns
from api.invalidation import InvalidationListener
from api.search.bits import add_counts, bit_set, highest, slots_of
from api.search.cache import SearchCache
from api.search.folding import query_terms, search_words
from api.search.index import SearchIndex
from api.search.service import _sql_search, search
from tests.search.indexed import Live, add_section, both, execute, settled, write_document

ALL = 200
QUERIES = (
    "dang vien",
    "Đảng viên",
    "đảng",
    "dang",
    "đang",
    "DANG PHI",
    "nghi quyet",
    "nghị",
    "quy",
    "quyet",
    "hoc tap nghi",
    "chuyển đổi s",
    "xylo",
    "xylophonium",
    "quimbex",
    "quimbex dang",
    "quimbex nghi quyet",
    "chi bo",
    "zqxnothing",
    "d",
)


class Units:
    def __init__(self, province: int, commune_a: int, branch_a: int, commune_b: int, branch_b: int) -> None:
        self.province, self.commune_a, self.branch_a = province, commune_a, branch_a
        self.commune_b, self.branch_b = commune_b, branch_b
        self.member_a = ContentScope(ancestors=[province, commune_a, branch_a], staff=[], editor=[])
        self.staff_b = ContentScope(ancestors=[province, commune_b], staff=[commune_b], editor=[])
        self.nobody = ContentScope(ancestors=[], staff=[], editor=[])


async def _units(database_url: str) -> Units:
    conn = await connect(database_url)
    try:
        province = await conn.fetchval("select id from org_units where parent_id is null order by id limit 1")
        communes = [
            row["id"]
            for row in await conn.fetch("select id from org_units where parent_id = $1 order by id limit 2", province)
        ]
        branches = [
            await conn.fetchval("select id from org_units where parent_id = $1 order by id limit 1", commune)
            for commune in communes
        ]
    finally:
        await conn.close()
    return Units(province, communes[0], branches[0], communes[1], branches[1])


async def _corpus(database_url: str, units: Units) -> dict[str, Any]:
    province, province_ids = await write_document(
        database_url,
        units.province,
        [
            ("Đảng viên và đảng phí", "Mỗi đảng viên đóng đảng phí hằng tháng theo quy định của Đảng."),
            ("Nghị quyết", "Học tập nghị quyết, quyết tâm thực hiện quyền và nghĩa vụ của đảng viên."),
            ("Đang làm", "Chi bộ đang sinh hoạt; xylophonium và xylo, ĐẢNG và đang."),
            ("Chuyển đổi số", "Chuyển đổi số trong sinh hoạt chi bộ: sổ tay điện tử."),
        ],
        slug="tinh",
    )
    commune_a, commune_a_ids = await write_document(
        database_url, units.commune_a, [("Xã A", "Quy chế riêng của xã: quimbex đảng viên.")], slug="xa-a"
    )
    commune_b, commune_b_ids = await write_document(
        database_url, units.commune_b, [("Xã B", "Việc riêng của xã khác: quimbex nghị quyết.")], slug="xa-b"
    )
    branch_b, branch_b_ids = await write_document(
        database_url, units.branch_b, [("Chi bộ B", "Quimbex trong chi bộ của xã khác.")], slug="chi-bo-b"
    )
    draft, draft_ids = await write_document(
        database_url, units.province, [("Nháp", "Quimbex chưa công bố.")], slug="nhap", status="draft"
    )
    return {
        "province": province,
        "province_ids": province_ids,
        "commune_a": commune_a,
        "commune_a_ids": commune_a_ids,
        "commune_b": commune_b,
        "commune_b_ids": commune_b_ids,
        "branch_b_ids": branch_b_ids,
        "branch_b": branch_b,
        "draft": draft,
        "draft_ids": draft_ids,
    }


async def test_the_index_and_the_statement_find_the_same_sections(live: Live, database_url: str) -> None:
    units = await _units(database_url)
    corpus = await _corpus(database_url, units)
    index = await settled(live.listener, live.index, database_url)
    for scope in (units.member_a, units.staff_b, units.nobody):
        for query in QUERIES:
            await both(live, index, scope, query, limit=ALL)

    assert await both(live, index, units.member_a, "quimbex", limit=ALL) == corpus["commune_a_ids"], (
        "another commune's documents and drafts never show"
    )
    assert sorted(await both(live, index, units.staff_b, "quimbex", limit=ALL)) == sorted(
        corpus["commune_b_ids"] + corpus["branch_b_ids"]
    ), "staff of a commune read what is addressed inside it"
    assert await both(live, index, units.nobody, "dang", limit=ALL) == []
    first, second, third, fourth = corpus["province_ids"]
    assert set(await both(live, index, units.member_a, "đảng viên", limit=ALL)) >= {first, second}
    assert third in await both(live, index, units.member_a, "Đang", limit=ALL), "đ and d are the same letter"
    assert await both(live, index, units.member_a, "xylophonium xylo", limit=ALL) == [third]
    assert await both(live, index, units.member_a, "xyloph", limit=ALL) == [third], "the last word is a prefix"
    assert await both(live, index, units.member_a, "xyloph chi", limit=ALL) == [], "only the last word is a prefix"
    assert fourth in await both(live, index, units.member_a, "chuyen doi so", limit=ALL)


async def test_the_app_answers_from_the_index_once_it_is_current(live: Live, database_url: str) -> None:
    units = await _units(database_url)
    await _corpus(database_url, units)
    index = await settled(live.listener, live.index, database_url)
    for query in ("đảng viên", "quy", "quimbex"):
        answer = await search(live.pool, live.cache, units.member_a, query, limit=20)
        terms = query_terms(query)
        ranked = index.search(search_words(terms), units.member_a.ancestors, units.member_a.staff, limit=20)
        assert [(hit.section_id, hit.rank) for hit in answer.hits] == [(hit.section_id, hit.rank) for hit in ranked]
        assert answer.hits, query
        statement = {hit.section_id: hit for hit in await _sql_search(live.pool, units.member_a, terms, ALL)}
        for hit in answer.hits:
            expected = statement[hit.section_id]
            assert (hit.document_id, hit.document_title, hit.title, hit.snippet_html) == (
                expected.document_id,
                expected.document_title,
                expected.title,
                expected.snippet_html,
            ), "the index shows what the statement shows"


async def test_announced_changes_reach_the_index(live: Live, database_url: str) -> None:
    units = await _units(database_url)
    corpus = await _corpus(database_url, units)
    member = units.member_a
    await settled(live.listener, live.index, database_url)

    new = await add_section(database_url, corpus["province"], "Mới", "Quimbex marimbaphon của tỉnh.")
    index = await settled(live.listener, live.index, database_url)
    assert await both(live, index, member, "marimbaphon", limit=ALL) == [new], "a new section is found"
    assert sorted(await both(live, index, member, "quimbex", limit=ALL)) == sorted([new, *corpus["commune_a_ids"]])

    title, body_md, body_html, text, digest = derived_columns("Mới", "Quimbex vibraphonium của tỉnh.")
    await execute(
        database_url,
        "update sections set title = $2, body_md = $3, body_html = $4, search_text = $5, content_hash = $6 "
        "where id = $1",
        new,
        title,
        body_md,
        body_html,
        text,
        digest,
    )
    index = await settled(live.listener, live.index, database_url)
    assert await both(live, index, member, "marimbaphon", limit=ALL) == [], "an edited section loses its old words"
    assert await both(live, index, member, "vibraph", limit=ALL) == [new]

    await execute(database_url, "update sections set deleted_at = now() where id = $1", new)
    index = await settled(live.listener, live.index, database_url)
    assert await both(live, index, member, "vibraphonium", limit=ALL) == [], "a deleted section disappears"

    await execute(database_url, "update documents set status = 'archived' where id = $1", corpus["commune_a"])
    index = await settled(live.listener, live.index, database_url)
    assert await both(live, index, member, "quimbex", limit=ALL) == [], "an unpublished document disappears"

    await execute(
        database_url, "update documents set audience_unit_id = $2 where id = $1", corpus["commune_b"], units.province
    )
    index = await settled(live.listener, live.index, database_url)
    assert await both(live, index, member, "quimbex", limit=ALL) == corpus["commune_b_ids"], "a wider audience shows it"
    assert sorted(await both(live, index, units.staff_b, "quimbex", limit=ALL)) == sorted(
        corpus["commune_b_ids"] + corpus["branch_b_ids"]
    )

    await execute(database_url, "update documents set status = 'published' where id = $1", corpus["draft"])
    index = await settled(live.listener, live.index, database_url)
    assert sorted(await both(live, index, member, "quimbex", limit=ALL)) == sorted(
        corpus["commune_b_ids"] + corpus["draft_ids"]
    ), "a document published appears"

    await execute(database_url, "delete from sections where id = $1", corpus["draft_ids"][0])
    await execute(database_url, "delete from documents where id = $1", corpus["commune_b"])
    index = await settled(live.listener, live.index, database_url)
    assert await both(live, index, member, "quimbex", limit=ALL) == [], "deleted rows disappear"
    for query in QUERIES:
        await both(live, index, member, query, limit=ALL)


async def test_many_changes_at_once_are_read_again_together(live: Live, database_url: str) -> None:
    units = await _units(database_url)
    corpus = await _corpus(database_url, units)
    await settled(live.listener, live.index, database_url)
    await execute(
        database_url,
        "update sections set search_text = search_text || ' zqxbulk' where document_id = any($1::uuid[])",
        [corpus["province"], corpus["commune_a"], corpus["commune_b"]],
    )
    index = await settled(live.listener, live.index, database_url)
    assert sorted(await both(live, index, units.member_a, "zqxbulk", limit=ALL)) == sorted(
        corpus["province_ids"] + corpus["commune_a_ids"]
    )


async def test_a_lost_listener_leaves_search_to_the_statement_until_everything_is_read_again(
    live: Live, database_url: str
) -> None:
    units = await _units(database_url)
    corpus = await _corpus(database_url, units)
    await settled(live.listener, live.index, database_url)
    await execute(
        database_url,
        "select pg_terminate_backend(pid) from pg_stat_activity "
        "where datname = current_database() and query ilike 'listen%'",
    )
    for _ in range(200):
        if live.index.current is None:
            break
        await asyncio.sleep(0.01)
    assert live.index.current is None, "no index while changes could go unheard"
    # Written while nobody listens (or just after): the announcement may be lost, the index must not be.
    new = await add_section(database_url, corpus["province"], "Trong lúc mất", "Quimbex celestaphon.")
    answer = await search(live.pool, live.cache, units.member_a, "celestaphon", limit=20)
    assert [hit.section_id for hit in answer.hits] == [new]
    index = await asyncio.wait_for(live.index.wait_current(), 15)
    assert await both(live, index, units.member_a, "celestaphon", limit=ALL) == [new]


async def test_search_uses_the_statement_before_the_index_is_built(database_url: str) -> None:
    units = await _units(database_url)
    await _corpus(database_url, units)
    pool = await create_pool(database_url, min_size=1, max_size=2)
    listener = InvalidationListener(database_url)
    cache = SearchCache(listener, pool)
    try:
        assert cache.index is not None
        assert cache.index.current is None
        before = await search(pool, cache, units.member_a, "dang vien", limit=ALL)
        assert before.hits
        await listener.start()
        index = await asyncio.wait_for(cache.index.wait_current(), 15)
        after = await search(pool, cache, units.member_a, "dang vien", limit=ALL)
        terms = query_terms("dang vien")
        ranked = index.search(search_words(terms), units.member_a.ancestors, [], limit=ALL)
        assert [hit.section_id for hit in after.hits] == [hit.section_id for hit in ranked]
        assert sorted(hit.section_id for hit in after.hits) == sorted(hit.section_id for hit in before.hits)
    finally:
        await cache.close()
        await listener.stop()
        await pool.close()


def test_bit_sets_round_trip() -> None:
    slots = [0, 1, 7, 8, 9, 63, 64, 1000, 10_007]
    bits = bit_set(slots)
    assert bits == sum(1 << slot for slot in slots)
    assert slots_of(bits, 100) == slots
    assert slots_of(bits, 3) == slots[:3]
    assert bit_set([]) == 0
    assert slots_of(0, 10) == []


def test_bit_sliced_counters_add_and_select_the_highest() -> None:
    counters: list[int] = []
    add_counts(counters, bit_set([3]), 1)  # 2 points before any single point: the counters start higher up
    add_counts(counters, bit_set([1, 3, 5]), 0)
    add_counts(counters, bit_set([5, 7]), 2)
    add_counts(counters, bit_set([5]), 0)
    points = {slot: sum(1 << level for level, bits in enumerate(counters) if bits >> slot & 1) for slot in range(8)}
    assert points == {0: 0, 1: 1, 2: 0, 3: 3, 4: 0, 5: 6, 6: 0, 7: 4}
    everything = bit_set(range(8))
    tiers = highest(everything, counters, 3)
    assert [(value, slots_of(bits, 8)) for value, bits in tiers] == [(6, [5]), (4, [7]), (3, [3])]
    assert [value for value, _ in highest(everything, counters, 100)] == [6, 4, 3, 1, 0]


def test_words_of_many_sections_and_of_few_are_found_alike() -> None:
    index = SearchIndex()
    rows = [
        {
            "section_id": f"00000000-0000-0000-0000-{slot:012d}",
            "document_id": "00000000-0000-0000-0000-000000000001",
            "audience_unit_id": 1,
            "audience_path": [1],
            "document_title": "Tài liệu",
            "title": f"Mục {slot}",
            "body_md": "Nội dung **đậm**.",
            "lexemes": f"'common':1,3 'w{slot}':2" + (" 'even':4" if slot % 2 == 0 else ""),
            "title_words": ["common"],
        }
        for slot in range(100)
    ]
    for row in rows:
        index.add(row)
    index.finish()
    everyone = index.search([("common", True)], [1], [], limit=200)
    assert len(everyone) == 100
    assert (everyone[0].document_title, everyone[0].title, everyone[0].text) == ("Tài liệu", "Mục 0", "Nội dung đậm .")
    assert [hit.section_id for hit in index.search([("common", False), ("w7", False)], [1], [], limit=9)] == [
        rows[7]["section_id"]
    ]
    assert len(index.search([("even", False)], [1], [], limit=200)) == 50
    assert len(index.search([("even", False)], [1], [], limit=10)) == 10
    assert index.search([("even", False)], [2], [], limit=200) == [], "another audience reads nothing"
    index.replace(["00000000-0000-0000-0000-000000000004"], [], [])
    assert len(index.search([("even", False)], [1], [], limit=200)) == 49
    index.add({**rows[4], "lexemes": "'common':1 'odd':2"})
    assert len(index.search([("even", False)], [1], [], limit=200)) == 49
    assert [hit.section_id for hit in index.search([("odd", False)], [1], [], limit=9)] == [rows[4]["section_id"]]
    index.replace([], ["00000000-0000-0000-0000-000000000001"], [])
    assert len(index) == 0
    assert index.search([("common", True)], [1], [], limit=200) == []


def test_the_index_ranks_by_frequency_title_and_proximity() -> None:
    index = SearchIndex()
    vectors = [
        ("'x':5", []),  # once
        ("'x':5,9", []),  # twice
        ("'x':1", ["x"]),  # in the title
        ("'x':5,6,7,8,9", []),  # five times
        ("'a':5 'b':6", []),  # side by side
        ("'a':5 'b':40", []),  # far apart
    ]
    for slot, (lexemes, title) in enumerate(vectors):
        index.add(
            {
                "section_id": f"00000000-0000-0000-0000-{slot:012d}",
                "document_id": "00000000-0000-0000-0000-000000000001",
                "audience_unit_id": 1,
                "audience_path": [1],
                "document_title": "Tài liệu",
                "title": f"Mục {slot}",
                "body_md": "Nội dung.",
                "lexemes": lexemes,
                "title_words": title,
            }
        )
    index.finish()
    order = [int(hit.section_id[-2:]) for hit in index.search([("x", False)], [1], [], limit=10)]
    assert order == [2, 3, 1, 0], "title and frequency first; equal points keep the handbook's order"
    assert [int(hit.section_id[-2:]) for hit in index.search([("a", False), ("b", True)], [1], [], limit=10)] == [4, 5]
