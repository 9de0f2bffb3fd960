"""Documents and sections as the API shows and takes them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from api.schemas import Input

DocumentKind = Literal["handbook_chapter", "charter", "regulation", "resolution", "guide", "study_topic"]
DocumentStatus = Literal["draft", "published", "archived"]
Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
Markdown = Annotated[str, msgspec.Meta(max_length=200_000)]
Revision = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
UnitId = Annotated[int, msgspec.Meta(ge=1, le=2**62)]


class SectionSummary(msgspec.Struct, frozen=True):
    id: UUID
    position: int
    title: str
    revision: int
    content_hash: str
    """Hex SHA-256 of what the member reads; an offline copy with this hash is current."""
    requires_ack: bool
    ack_hash: str
    acknowledged: bool


class Document(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    slug: str
    kind: DocumentKind
    title: str
    summary: str
    audience_unit_id: int
    status: DocumentStatus
    position: int
    requires_ack: bool
    revision: int
    updated_at: datetime
    published_at: datetime | None
    sections: list[SectionSummary] | None = None
    attachments: list[Attachment] | None = None


class Section(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    document_id: UUID
    position: int
    title: str
    body_html: str
    revision: int
    content_hash: str
    requires_ack: bool
    ack_hash: str
    updated_at: datetime


class SectionSource(msgspec.Struct, frozen=True, kw_only=True):
    """What an editor works on: the Markdown as well as the rendering."""

    id: UUID
    document_id: UUID
    position: int
    title: str
    body_md: str
    body_html: str
    revision: int
    requires_ack: bool


class DocumentCreate(Input, frozen=True, kw_only=True):
    slug: Slug
    kind: DocumentKind
    title: Title
    summary: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    audience_unit_id: UnitId | None = None
    """The unit whose subtree reads it; default: the top of the editor's own scope."""
    requires_ack: bool = False
    position: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 0


class DocumentUpdate(Input, frozen=True, kw_only=True):
    """Changes to a document; ``revision`` is the one the editor started from (stale: 409)."""

    revision: Revision
    title: Title | msgspec.UnsetType = msgspec.UNSET
    summary: Annotated[str, msgspec.Meta(max_length=2000)] | msgspec.UnsetType = msgspec.UNSET
    status: DocumentStatus | msgspec.UnsetType = msgspec.UNSET
    audience_unit_id: UnitId | msgspec.UnsetType = msgspec.UNSET
    requires_ack: bool | msgspec.UnsetType = msgspec.UNSET
    position: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | msgspec.UnsetType = msgspec.UNSET


class SectionCreate(Input, frozen=True, kw_only=True):
    title: Title
    body_md: Markdown
    position: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | None = None
    """Where to insert it; default: at the end."""
    requires_ack: bool = False


class SectionUpdate(Input, frozen=True, kw_only=True):
    revision: Revision
    title: Title
    body_md: Markdown
    material: bool = False
    """A material change asks members to acknowledge the new version; a typo fix does not."""
    requires_ack: bool | msgspec.UnsetType = msgspec.UNSET


class SectionRevision(msgspec.Struct, frozen=True):
    revision: int
    title: str
    material: bool
    edited_by: UUID | None
    editor_name: str | None
    edited_at: datetime


class RevisionDiff(msgspec.Struct, frozen=True):
    section_id: UUID
    from_revision: int
    to_revision: int
    diff: str
    """A unified diff of the Markdown (title first)."""


class Acknowledgement(msgspec.Struct, frozen=True):
    section_id: UUID
    ack_hash: str
    acknowledged_at: datetime


class AcknowledgeRequest(Input, frozen=True):
    ack_hash: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
    """The version the member read (the section's ``ack_hash``), so an offline replay of an old read
    never counts as reading the new text."""


class SectionRef(msgspec.Struct, frozen=True):
    id: UUID
    position: int
    content_hash: str


class OfflineDocument(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    slug: str
    kind: DocumentKind
    title: str
    summary: str
    revision: int
    position: int
    requires_ack: bool
    sections: list[SectionRef]
    """The document's live sections in order: anything else kept offline for it is stale."""


class OfflineSection(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    document_id: UUID
    position: int
    title: str
    body_html: str
    content_hash: str
    revision: int
    requires_ack: bool
    ack_hash: str


class OfflineManifest(msgspec.Struct, frozen=True):
    cursor: str
    """Pass to GetOfflineChanges as ``since`` next time."""
    documents: list[OfflineDocument]


class OfflineChanges(msgspec.Struct, frozen=True):
    cursor: str
    documents: list[OfflineDocument]
    """Documents whose title, order or sections changed: their section lists are complete."""
    sections: list[OfflineSection]
    """Sections written since the cursor, with their text."""
    removed_documents: list[UUID]
    removed_sections: list[UUID]


class Attachment(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    document_id: UUID
    file_name: str
    media_type: str
    size_bytes: int
    sha256: str
    created_at: datetime


class BranchAcknowledgements(msgspec.Struct, frozen=True):
    branch_id: int
    branch_code: str
    branch_name: str
    members: int
    acknowledged: int
    percent: float


class MemberAcknowledgement(msgspec.Struct, frozen=True):
    member_id: UUID
    full_name: str
    acknowledged: bool


class AcknowledgementReport(msgspec.Struct, frozen=True):
    document_id: UUID
    branches: list[BranchAcknowledgements]
    """Counts and percentages for every branch in the caller's scope."""
    members: list[MemberAcknowledgement]
    """Names only for the branches the caller leads (secretary or deputy)."""
