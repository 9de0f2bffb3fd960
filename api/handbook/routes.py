"""Handbook and study content: reading, editing, acknowledging, and offline sync."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody, QueryParameter
from litestar.response import File
from litestar.status_codes import HTTP_200_OK

from api.auth.guards import ACCESS, current_principal, requires, signed_in
from api.context import request_context
from api.deps import AppSettings, Conn, UuidPath
from api.handbook import attachments, reports, sync
from api.handbook.reading import SectionReader
from api.handbook.reports import REPORT_READERS
from api.handbook.schemas import (
    Acknowledgement,
    AcknowledgementReport,
    AcknowledgeRequest,
    Attachment,
    Document,
    DocumentCreate,
    DocumentUpdate,
    OfflineChanges,
    OfflineManifest,
    RevisionDiff,
    Section,
    SectionCreate,
    SectionRevision,
    SectionSource,
    SectionUpdate,
)
from api.handbook.scope import EDITORS, ContentScope, content_scope
from api.handbook.service import ContentService
from api.http_cache import Answer, etagged, etagged_bytes, shaped, stored_file
from api.uploads import read_limited, upload_file_name

Revision = Annotated[int, QueryParameter(ge=1, le=2**31 - 1)]
Cursor = Annotated[str, QueryParameter(pattern=r"^[0-9]{1,20}$")]


def reader_scope(request: Request[Any, Any, Any]) -> ContentScope:
    """What the caller may read. Called by the handlers that need it rather than injected: a dependency
    beside the connection costs a task group per request (decision 37), and without any dependency
    Litestar skips resolving them altogether on the hottest read."""
    return content_scope(current_principal(request))


async def provide_content(conn: Conn, request: Request[Any, Any, Any]) -> ContentService:
    return ContentService(conn, request_context(request), reader_scope(request))


Content = NamedDependency[ContentService]


def _section_reader(request: Request[Any, Any, Any]) -> SectionReader:
    # Every worker hears of edits from PostgreSQL; evicting here too means the editor's own next read,
    # on this worker, never races that announcement.
    reader: SectionReader = request.app.state.section_reader
    return reader


class ContentController(Controller):
    path = "/api/v1"
    tags = ["handbook"]
    opt = {ACCESS: signed_in}
    dependencies = {"content": Provide(provide_content)}

    @get("/documents", operation_id="ListDocuments", responses=shaped(list[Document]))
    async def list_documents(self, request: Request[Any, Any, Any], content: Content) -> Answer:
        """The documents the caller may read (editors also see their drafts)."""
        return etagged(request, await content.list_documents())

    @get("/documents/{document_id:uuid}", operation_id="GetDocument", responses=shaped(Document))
    async def get_document(self, request: Request[Any, Any, Any], document_id: UuidPath, content: Content) -> Answer:
        """A document and its sections in order, with what the caller has acknowledged."""
        return etagged(request, await content.document(document_id))

    @get("/sections/{section_id:uuid}", operation_id="GetSection", responses=shaped(Section))
    async def get_section(self, request: Request[Any, Any, Any], section_id: UuidPath) -> Answer:
        """One section, rendered; send If-None-Match to get 304 when it did not change."""
        section = await _section_reader(request).read(section_id, reader_scope(request))
        return etagged_bytes(request, section.body, section.etag)

    @post("/sections/{section_id:uuid}/acknowledge", operation_id="AcknowledgeSection", status_code=HTTP_200_OK)
    async def acknowledge(
        self, section_id: UuidPath, data: JSONBody[AcknowledgeRequest], content: Content
    ) -> Acknowledgement:
        """ "I have read this": idempotent, so an offline replay counts once."""
        return await content.acknowledge(section_id, data.ack_hash)

    @get("/offline/manifest", operation_id="GetOfflineManifest", responses=shaped(OfflineManifest))
    async def offline_manifest(self, request: Request[Any, Any, Any], conn: Conn) -> Answer:
        """Everything the caller may keep offline: documents, section order and content hashes."""
        return etagged(request, await sync.manifest(conn, reader_scope(request)))

    @get("/offline/changes", operation_id="GetOfflineChanges", responses=shaped(OfflineChanges))
    async def offline_changes(self, request: Request[Any, Any, Any], conn: Conn, since: Cursor = sync.FULL) -> Answer:
        """What changed since a cursor from an earlier sync (``0``: everything, with the text)."""
        return etagged(request, await sync.changes(conn, reader_scope(request), since))

    @get(
        "/documents/{document_id:uuid}/acknowledgements",
        operation_id="GetAcknowledgementReport",
        opt={ACCESS: requires(REPORT_READERS)},
    )
    async def acknowledgement_report(self, document_id: UuidPath, content: Content) -> AcknowledgementReport:
        """Who has read and acknowledged it: counts per branch in scope, names within one's own branch."""
        return await reports.acknowledgement_report(content, document_id)

    @get("/attachments/{attachment_id:uuid}", operation_id="GetAttachment")
    async def get_attachment(
        self, request: Request[Any, Any, Any], attachment_id: UuidPath, content: Content, state: State
    ) -> Response[bytes] | File:
        """An attachment's file; it never changes, so phones may keep it."""
        attachment, path = await attachments.locate(content, state.blobs, attachment_id)
        return stored_file(
            request,
            path,
            digest=attachment.sha256,
            media_type=attachment.media_type,
            file_name=attachment.file_name,
            cache_control="private, max-age=31536000, immutable",
        )

    # Editing (content editors and admins, within their scope) -------------------------------------

    @post(
        "/documents/{document_id:uuid}/attachments",
        operation_id="UploadAttachment",
        opt={ACCESS: requires(EDITORS)},
        request_max_body_size=None,
    )
    async def upload_attachment(
        self,
        request: Request[Any, Any, Any],
        document_id: UuidPath,
        content: Content,
        state: State,
        settings: AppSettings,
        file_name: Annotated[str, QueryParameter(min_length=1, max_length=200)],
    ) -> Attachment:
        """Attach a PDF or image (the file itself as the body, with its Content-Type)."""
        data = await read_limited(request, settings.attachment_max_bytes)
        return await attachments.upload(
            content,
            state.blobs,
            document_id,
            data=data,
            declared_type=request.headers.get("content-type", ""),
            file_name=upload_file_name(file_name),
        )

    @post("/documents", operation_id="CreateDocument", opt={ACCESS: requires(EDITORS)})
    async def create_document(self, data: JSONBody[DocumentCreate], content: Content) -> Document:
        """Create a draft document."""
        return await content.create_document(data)

    @put("/documents/{document_id:uuid}", operation_id="UpdateDocument", opt={ACCESS: requires(EDITORS)})
    async def update_document(
        self, request: Request[Any, Any, Any], document_id: UuidPath, data: JSONBody[DocumentUpdate], content: Content
    ) -> Document:
        """Change a document (title, audience, publish, archive); a stale revision answers 409."""
        updated = await content.update_document(document_id, data)
        _section_reader(request).forget_document(document_id)
        return updated

    @post("/documents/{document_id:uuid}/sections", operation_id="CreateSection", opt={ACCESS: requires(EDITORS)})
    async def create_section(
        self, document_id: UuidPath, data: JSONBody[SectionCreate], content: Content
    ) -> SectionSource:
        """Add a section (at a position, or at the end)."""
        return await content.create_section(document_id, data)

    @get("/sections/{section_id:uuid}/source", operation_id="GetSectionSource", opt={ACCESS: requires(EDITORS)})
    async def section_source(self, section_id: UuidPath, content: Content) -> SectionSource:
        """A section's Markdown, for editing."""
        return await content.section_source(section_id)

    @put("/sections/{section_id:uuid}", operation_id="UpdateSection", opt={ACCESS: requires(EDITORS)})
    async def update_section(
        self, request: Request[Any, Any, Any], section_id: UuidPath, data: JSONBody[SectionUpdate], content: Content
    ) -> SectionSource:
        """Edit a section; every edit is a revision, a stale revision answers 409."""
        updated = await content.update_section(section_id, data)
        _section_reader(request).forget_section(section_id)
        return updated

    @delete("/sections/{section_id:uuid}", operation_id="DeleteSection", opt={ACCESS: requires(EDITORS)})
    async def delete_section(
        self, request: Request[Any, Any, Any], section_id: UuidPath, revision: Revision, content: Content
    ) -> None:
        """Remove a section (kept as a tombstone for offline copies)."""
        await content.delete_section(section_id, revision)
        _section_reader(request).forget_section(section_id)

    @get("/sections/{section_id:uuid}/revisions", operation_id="ListSectionRevisions", opt={ACCESS: requires(EDITORS)})
    async def revisions(self, section_id: UuidPath, content: Content) -> list[SectionRevision]:
        """Who changed the section, when, and whether the change was material."""
        return await content.revisions(section_id)

    @get("/sections/{section_id:uuid}/compare", operation_id="CompareSectionRevisions", opt={ACCESS: requires(EDITORS)})
    async def compare(
        self,
        section_id: UuidPath,
        content: Content,
        from_revision: Annotated[int, QueryParameter(name="from", ge=1, le=2**31 - 1)],
        to_revision: Annotated[int, QueryParameter(name="to", ge=1, le=2**31 - 1)],
    ) -> RevisionDiff:
        """A unified diff between any two revisions."""
        return await content.compare(section_id, from_revision, to_revision)
