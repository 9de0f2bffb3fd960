"""Handbook journeys: an editor writes and publishes, members read offline-first and acknowledge."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.helpers import bearer

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<iframe src=https://evil.example></iframe>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](JaVaScRiPt:alert(1))",
    "<div onclick=alert(1)>x</div>",
    '![i](x "onerror=alert(1)")',
    "<style>body{display:none}</style>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]


async def _publish(
    client: AsyncTestClient[Any], admin: dict[str, str], slug: str, sections: list[tuple[str, str]], **extra: Any
) -> dict[str, Any]:
    created = await client.post(
        "/api/v1/documents", headers=admin, json={"slug": slug, "kind": "guide", "title": f"Tài liệu {slug}", **extra}
    )
    assert created.status_code == 201, created.text
    document = created.json()
    for title, body in sections:
        added = await client.post(
            f"/api/v1/documents/{document['id']}/sections", headers=admin, json={"title": title, "body_md": body}
        )
        assert added.status_code == 201, added.text
    revision = (await client.get(f"/api/v1/documents/{document['id']}", headers=admin)).json()["revision"]
    published = await client.put(
        f"/api/v1/documents/{document['id']}", headers=admin, json={"revision": revision, "status": "published"}
    )
    assert published.status_code == 200, published.text
    return dict(published.json())


async def test_editor_publishes_and_member_reads_with_revalidation(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    draft = (
        await client.post(
            "/api/v1/documents", headers=admin, json={"slug": "nhap", "kind": "guide", "title": "Bản nháp"}
        )
    ).json()
    assert (await client.get(f"/api/v1/documents/{draft['id']}", headers=member)).status_code == 404
    document = await _publish(
        client,
        admin,
        "huong-dan",
        [("Mục một", "Đảng viên **phải** học nghị quyết."), ("Mục hai", "Nội dung thứ hai.")],
    )
    listed = (await client.get(f"/api/v1/documents/{document['id']}", headers=member)).json()
    assert [s["title"] for s in listed["sections"]] == ["Mục một", "Mục hai"]
    first = listed["sections"][0]
    read = await client.get(f"/api/v1/sections/{first['id']}", headers=member)
    assert read.status_code == 200
    assert "<strong>phải</strong>" in read.json()["body_html"]
    assert read.headers["cache-control"] == "private, no-cache"
    again = await client.get(
        f"/api/v1/sections/{first['id']}", headers={**member, "If-None-Match": read.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    # Both are finished answers sent as they are (api/http_cache.py): the middleware's headers still reach them.
    assert read.headers["content-type"] == "application/json"
    for answer in (read, again):
        assert answer.headers["etag"] == read.headers["etag"]
        assert answer.headers["vary"] == "Authorization, Cookie"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert len(answer.headers["x-request-id"]) == 32


async def test_stale_edits_conflict_and_revisions_compare(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    document = await _publish(client, admin, "sua-doi", [("Mục", "Bản đầu.")])
    section_id = document["sections"][0]["id"]
    first = await client.put(
        f"/api/v1/sections/{section_id}", headers=admin, json={"revision": 1, "title": "Mục", "body_md": "Bản hai."}
    )
    assert first.status_code == 200
    assert first.json()["revision"] == 2
    stale = await client.put(
        f"/api/v1/sections/{section_id}", headers=admin, json={"revision": 1, "title": "Mục", "body_md": "Ghi đè?"}
    )
    assert stale.status_code == 409
    assert stale.headers["content-type"].startswith("application/problem+json")
    revisions = (await client.get(f"/api/v1/sections/{section_id}/revisions", headers=admin)).json()
    assert [r["revision"] for r in revisions] == [2, 1]
    diff = (await client.get(f"/api/v1/sections/{section_id}/compare?from=1&to=2", headers=admin)).json()["diff"]
    assert "-Bản đầu." in diff
    assert "+Bản hai." in diff
    stale_doc = await client.put(
        f"/api/v1/documents/{document['id']}", headers=admin, json={"revision": 1, "title": "Tên mới"}
    )
    assert stale_doc.status_code == 409


async def test_material_edits_ask_for_acknowledgement_again(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    document = await _publish(client, admin, "xac-nhan", [("Quy định", "Điều một.")], requires_ack=True)
    section = document["sections"][0]
    acked = await client.post(
        f"/api/v1/sections/{section['id']}/acknowledge", headers=member, json={"ack_hash": section["ack_hash"]}
    )
    assert acked.status_code == 200
    replay = await client.post(
        f"/api/v1/sections/{section['id']}/acknowledge", headers=member, json={"ack_hash": section["ack_hash"]}
    )
    assert replay.json()["acknowledged_at"] == acked.json()["acknowledged_at"], "a replay counts once"

    await client.put(
        f"/api/v1/sections/{section['id']}",
        headers=admin,
        json={"revision": 1, "title": "Quy định", "body_md": "Điều một (sửa lỗi chính tả)."},
    )
    view = (await client.get(f"/api/v1/documents/{document['id']}", headers=member)).json()["sections"][0]
    assert view["acknowledged"], "a typo fix does not ask again"
    await client.put(
        f"/api/v1/sections/{section['id']}",
        headers=admin,
        json={"revision": 2, "title": "Quy định", "body_md": "Điều một, nay khác hẳn.", "material": True},
    )
    view = (await client.get(f"/api/v1/documents/{document['id']}", headers=member)).json()["sections"][0]
    assert not view["acknowledged"]
    old = await client.post(
        f"/api/v1/sections/{section['id']}/acknowledge", headers=member, json={"ack_hash": section["ack_hash"]}
    )
    assert old.status_code == 409, "reading the old version offline does not acknowledge the new one"
    new = await client.post(
        f"/api/v1/sections/{section['id']}/acknowledge", headers=member, json={"ack_hash": view["ack_hash"]}
    )
    assert new.status_code == 200


class _Elements(HTMLParser):
    """Every element and attribute the browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


@pytest.mark.parametrize("payload", XSS)
async def test_hostile_markdown_comes_out_inert(client: AsyncTestClient[Any], payload: str) -> None:
    admin = await bearer(client, "demo.admin")
    document = (
        await client.post("/api/v1/documents", headers=admin, json={"slug": "xss", "kind": "guide", "title": payload})
    ).json()
    section = await client.post(
        f"/api/v1/documents/{document['id']}/sections",
        headers=admin,
        json={"title": payload, "body_md": f"Trước {payload} sau"},
    )
    parser = _Elements()
    parser.feed(section.json()["body_html"])
    for tag, attributes in parser.found:
        assert tag in {"p", "a", "strong", "em", "code"}, tag
        for name, value in attributes:
            assert not name.startswith("on"), name
            assert name in {"href", "rel", "title"}, name
            if name == "href":
                assert (value or "").startswith(("https:", "/", "mailto:", "tel:")), value


async def test_offline_sync_sends_only_what_changed(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    document = await _publish(client, admin, "ngoai-tuyen", [(f"Mục {i}", f"Nội dung {i}.") for i in range(10)])
    full = (await client.get("/api/v1/offline/changes?since=0", headers=member)).json()
    mine = [s for s in full["sections"] if s["document_id"] == document["id"]]
    assert len(mine) == 10
    manifest = (await client.get("/api/v1/offline/manifest", headers=member)).json()
    assert document["id"] in {d["id"] for d in manifest["documents"]}
    cursor = full["cursor"]

    nothing = (await client.get(f"/api/v1/offline/changes?since={cursor}", headers=member)).json()
    assert nothing["sections"] == []
    assert nothing["documents"] == []

    target = document["sections"][3]
    await client.put(
        f"/api/v1/sections/{target['id']}",
        headers=admin,
        json={"revision": 1, "title": "Mục 3", "body_md": "Nội dung mới."},
    )
    changed = (await client.get(f"/api/v1/offline/changes?since={cursor}", headers=member)).json()
    assert [s["id"] for s in changed["sections"]] == [target["id"]]
    assert changed["documents"] == [], "a text edit does not resend the document's structure"

    removed = document["sections"][5]
    await client.delete(f"/api/v1/sections/{removed['id']}", params={"revision": 1}, headers=admin)
    after_delete = (await client.get(f"/api/v1/offline/changes?since={changed['cursor']}", headers=member)).json()
    assert after_delete["removed_sections"] == [removed["id"]]
    assert [d["id"] for d in after_delete["documents"]] == [document["id"]]
    assert len(after_delete["documents"][0]["sections"]) == 9

    revision = (await client.get(f"/api/v1/documents/{document['id']}", headers=admin)).json()["revision"]
    await client.put(
        f"/api/v1/documents/{document['id']}", headers=admin, json={"revision": revision, "status": "archived"}
    )
    gone = (await client.get(f"/api/v1/offline/changes?since={after_delete['cursor']}", headers=member)).json()
    assert gone["removed_documents"] == [document["id"]]


async def test_audience_limits_readers(client: AsyncTestClient[Any]) -> None:
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    me = (await client.get("/api/v1/me", headers=member)).json()
    branch = (await client.get(f"/api/v1/org/units/{me['branch_id']}", headers=admin)).json()
    province_id = branch["path"][0]
    communes = (await client.get("/api/v1/org/units", params={"parent_id": province_id}, headers=admin)).json()
    other = next(c for c in communes if c["id"] != branch["path"][1])
    mine = await _publish(client, admin, "xa-minh", [("Mục", "Cho xã tôi.")], audience_unit_id=branch["path"][1])
    theirs = await _publish(client, admin, "xa-khac", [("Mục", "Cho xã khác.")], audience_unit_id=other["id"])
    listed = {d["id"] for d in (await client.get("/api/v1/documents", headers=member)).json()}
    assert mine["id"] in listed
    assert theirs["id"] not in listed
    assert (await client.get(f"/api/v1/sections/{theirs['sections'][0]['id']}", headers=member)).status_code == 404
