"""A published document made through the editor's API, for the search tests to look for."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient


async def publish_document(
    client: AsyncTestClient[Any], admin: dict[str, str], sections: list[tuple[str, str]], *, slug: str
) -> list[str]:
    """A published, province-wide document holding ``sections`` (title, body); their ids in order."""
    created = await client.post("/api/v1/documents", headers=admin, json={"slug": slug, "kind": "guide", "title": slug})
    assert created.status_code == 201, created.text
    document = created.json()
    ids = []
    for title, body in sections:
        section = await client.post(
            f"/api/v1/documents/{document['id']}/sections", headers=admin, json={"title": title, "body_md": body}
        )
        assert section.status_code == 201, section.text
        ids.append(section.json()["id"])
    current = (await client.get(f"/api/v1/documents/{document['id']}", headers=admin)).json()
    published = await client.put(
        f"/api/v1/documents/{document['id']}",
        headers=admin,
        json={"revision": current["revision"], "status": "published"},
    )
    assert published.status_code == 200, published.text
    return ids
