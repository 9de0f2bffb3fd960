"""Matrix rows: documents, sections, revisions, attachments, acknowledgements, offline sync and search.

"In" content lives in the demo commune, "out" content in another commune.
"""

from __future__ import annotations

from uuid import UUID

import httpx

from tests.authz.world import Request, World, get, new_section, unit

MATRIX: dict[str, dict[str, tuple[int | str, ...]]] = {
    "ListDocuments": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "GetDocument": {"in": (401, 200, 200, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "GetSection": {"in": (401, 200, 200, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "AcknowledgeSection": {"in": (401, 200, 200, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "GetOfflineManifest": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "GetOfflineChanges": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "SearchContent": {"in": (401, 200, 200, 200, 200, 200, 200)},
    "CreateDocument": {"in": (401, 403, 403, 403, 403, 201, 201), "out": (401, 403, 403, 403, 403, 404, 201)},
    "UpdateDocument": {"in": (401, 403, 403, 403, 403, 200, 200), "out": (401, 403, 403, 403, 403, 404, 200)},
    "CreateSection": {"in": (401, 403, 403, 403, 403, 201, 201), "out": (401, 403, 403, 403, 403, 404, 201)},
    "GetSectionSource": {"in": (401, 403, 403, 403, 403, 200, 200), "out": (401, 403, 403, 403, 403, 404, 200)},
    "UpdateSection": {"in": (401, 403, 403, 403, 403, 200, 200), "out": (401, 403, 403, 403, 403, 404, 200)},
    "DeleteSection": {"in": (401, 403, 403, 403, 403, 204, 204), "out": (401, 403, 403, 403, 403, 404, 204)},
    "ListSectionRevisions": {"in": (401, 403, 403, 403, 403, 200, 200), "out": (401, 403, 403, 403, 403, 404, 200)},
    "GetAcknowledgementReport": {"in": (401, 403, 200, 200, 403, 200, 200), "out": (401, 403, 404, 404, 403, 404, 200)},
    "UploadAttachment": {"in": (401, 403, 403, 403, 403, 201, 201), "out": (401, 403, 403, 403, 403, 404, 201)},
    "GetAttachment": {"in": (401, 200, 200, 200, 200, 200, 200), "out": (401, 404, 404, 404, 404, 404, 200)},
    "CompareSectionRevisions": {"in": (401, 403, 403, 403, 403, 200, 200), "out": (401, 403, 403, 403, 403, 404, 200)},
}


def _section(world: World, scope: str) -> str:
    return str(world.documents[scope]["section_id"])


async def _acknowledge(world: World, role: str, scope: str) -> httpx.Response:
    section = world.documents[scope]
    return await world.client.post(
        f"/api/v1/sections/{section['section_id']}/acknowledge",
        headers=world.auth(role),
        json={"ack_hash": section["ack_hash"]},
    )


async def _create_document(world: World, role: str, scope: str) -> httpx.Response:
    slug = f"matrix-{role.replace('_', '-')}-{scope}"
    commune = unit(world, scope)["path"][-2]
    return await world.client.post(
        "/api/v1/documents",
        headers=world.auth(role),
        json={"slug": slug, "kind": "guide", "title": "Tài liệu thử", "audience_unit_id": commune},
    )


async def _update_document(world: World, role: str, scope: str) -> httpx.Response:
    document_id = world.documents[scope]["id"]
    revision = await world.sql("select revision from documents where id = $1", document_id)
    return await world.client.put(
        f"/api/v1/documents/{document_id}",
        headers=world.auth(role),
        json={"revision": revision, "summary": f"Sửa bởi {role}"},
    )


async def _create_section(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post(
        f"/api/v1/documents/{world.documents[scope]['id']}/sections",
        headers=world.auth(role),
        json={"title": "Mục mới", "body_md": "Văn bản."},
    )


async def _update_section(world: World, role: str, scope: str) -> httpx.Response:
    section_id = _section(world, scope)
    revision = await world.sql("select revision from sections where id = $1", UUID(section_id))
    return await world.client.put(
        f"/api/v1/sections/{section_id}",
        headers=world.auth(role),
        json={"revision": revision, "title": "Mục đã sửa", "body_md": f"Sửa bởi {role}."},
    )


async def _delete_section(world: World, role: str, scope: str) -> httpx.Response:
    section = await new_section(world, scope)
    return await world.client.delete(
        f"/api/v1/sections/{section['id']}", params={"revision": section["revision"]}, headers=world.auth(role)
    )


PDF = b"%PDF-1.4\n%%EOF\n"


async def _upload(world: World, role: str, scope: str) -> httpx.Response:
    return await world.client.post(
        f"/api/v1/documents/{world.documents[scope]['id']}/attachments",
        params={"file_name": "nghi-quyet.pdf"},
        content=PDF,
        headers={**world.auth(role), "Content-Type": "application/pdf"},
    )


async def _get_attachment(world: World, role: str, scope: str) -> httpx.Response:
    if "attachment_id" not in world.documents[scope]:
        uploaded = await _upload(world, "province_admin", scope)
        world.documents[scope]["attachment_id"] = uploaded.json()["id"]
    return await world.client.get(
        f"/api/v1/attachments/{world.documents[scope]['attachment_id']}", headers=world.auth(role)
    )


REQUESTS: dict[str, Request] = {
    "ListDocuments": get(lambda w, s: "/api/v1/documents"),
    "GetDocument": get(lambda w, s: f"/api/v1/documents/{w.documents[s]['id']}"),
    "GetSection": get(lambda w, s: f"/api/v1/sections/{_section(w, s)}"),
    "AcknowledgeSection": _acknowledge,
    "GetOfflineManifest": get(lambda w, s: "/api/v1/offline/manifest"),
    "GetOfflineChanges": get(lambda w, s: "/api/v1/offline/changes?since=0"),
    "SearchContent": get(lambda w, s: "/api/v1/search?q=nghi%20quyet"),
    "CreateDocument": _create_document,
    "UpdateDocument": _update_document,
    "CreateSection": _create_section,
    "GetSectionSource": get(lambda w, s: f"/api/v1/sections/{_section(w, s)}/source"),
    "UpdateSection": _update_section,
    "DeleteSection": _delete_section,
    "ListSectionRevisions": get(lambda w, s: f"/api/v1/sections/{_section(w, s)}/revisions"),
    "GetAcknowledgementReport": get(lambda w, s: f"/api/v1/documents/{w.documents[s]['id']}/acknowledgements"),
    "UploadAttachment": _upload,
    "GetAttachment": _get_attachment,
    "CompareSectionRevisions": get(lambda w, s: f"/api/v1/sections/{_section(w, s)}/compare?from=1&to=1"),
}
