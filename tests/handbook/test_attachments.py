"""Attachments: type sniffed from the bytes, size limited, stored once by hash, served with caching."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.db import connect
from tests.helpers import bearer
from tests.servers import make_settings

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def _published_document(client: AsyncTestClient[Any], admin: dict[str, str]) -> dict[str, Any]:
    created = (
        await client.post(
            "/api/v1/documents", headers=admin, json={"slug": "dinh-kem", "kind": "resolution", "title": "Nghị quyết"}
        )
    ).json()
    published = await client.put(
        f"/api/v1/documents/{created['id']}",
        headers=admin,
        json={"revision": created["revision"], "status": "published"},
    )
    return dict(published.json())


async def test_upload_then_members_download_and_revalidate(client: AsyncTestClient[Any], database_url: str) -> None:
    admin = await bearer(client, "demo.admin")
    member = await bearer(client, "demo.member")
    document = await _published_document(client, admin)
    uploaded = await client.post(
        f"/api/v1/documents/{document['id']}/attachments",
        params={"file_name": "nghị quyết 57.pdf"},
        content=PDF,
        headers={**admin, "Content-Type": "application/pdf"},
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()
    assert attachment["size_bytes"] == len(PDF)
    again = await client.post(
        f"/api/v1/documents/{document['id']}/attachments",
        params={"file_name": "copy.pdf"},
        content=PDF,
        headers={**admin, "Content-Type": "application/pdf"},
    )
    assert again.json()["sha256"] == attachment["sha256"], "the same bytes are stored once"

    listed = (await client.get(f"/api/v1/documents/{document['id']}", headers=member)).json()["attachments"]
    assert [a["file_name"] for a in listed] == ["nghị quyết 57.pdf", "copy.pdf"]
    download = await client.get(f"/api/v1/attachments/{attachment['id']}", headers=member)
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"].startswith("application/pdf")
    assert "immutable" in download.headers["cache-control"]
    cached = await client.get(
        f"/api/v1/attachments/{attachment['id']}", headers={**member, "If-None-Match": download.headers["etag"]}
    )
    assert cached.status_code == 304

    conn = await connect(database_url)
    try:
        assert await conn.fetchval("select count(*) from audit_log where action = 'attachment_uploaded'") == 2
    finally:
        await conn.close()


@pytest.mark.parametrize(
    ("declared", "body", "status"),
    [
        ("application/pdf", b"<html><script>alert(1)</script></html>", 415),
        ("image/png", PDF, 415),
        ("text/html", b"<html></html>", 415),
        ("image/svg+xml", b"<svg onload=alert(1)></svg>", 415),
        ("image/png", PNG, 201),
    ],
)
async def test_declared_type_must_match_the_bytes(
    client: AsyncTestClient[Any], declared: str, body: bytes, status: int
) -> None:
    admin = await bearer(client, "demo.admin")
    document = await _published_document(client, admin)
    response = await client.post(
        f"/api/v1/documents/{document['id']}/attachments",
        params={"file_name": "f"},
        content=body,
        headers={**admin, "Content-Type": declared},
    )
    assert response.status_code == status, response.text


async def test_oversized_upload_is_refused(database_url: str, redis_url: str) -> None:
    settings = make_settings(database_url, redis_url, attachment_max_bytes=2048)
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as client:
        admin = await bearer(client, "demo.admin")
        document = await _published_document(client, admin)
        response = await client.post(
            f"/api/v1/documents/{document['id']}/attachments",
            params={"file_name": "big"},
            content=PDF + b"0" * 4096,
            headers={**admin, "Content-Type": "application/pdf"},
        )
        assert response.status_code == 413
        assert response.headers["content-type"].startswith("application/problem+json")
