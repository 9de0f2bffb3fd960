"""The one file a reflection may carry (a scanned handwritten text, a PDF): its author sends it while
the reflection waits for review; the author and the branch's leaders may fetch it."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from api.audit.service import record
from api.auth.principal import BRANCH_LEADERS
from api.errors import Conflict, NotFound
from api.sql import queries_beside
from api.storage import BlobStore
from api.study.schemas import Reflection, ReflectionFile
from api.study.service import StudyService, reflection_from_row
from api.uploads import check_type

Q = queries_beside(__file__)


async def attach(
    study: StudyService, store: BlobStore, reflection_id: UUID, *, data: bytes, declared_type: str, file_name: str
) -> Reflection:
    """Put or replace the file of the caller's own reflection; once reviewed, only a new version may."""
    row = await study.conn.fetchrow(Q["get_reflection"], reflection_id)
    if row is None or row["member_id"] != study.principal.member_id:
        raise NotFound(f"No reflection {reflection_id}.")
    if row["status"] != "submitted":
        raise Conflict("Bài thu hoạch đã được xem xét; hãy nộp bản mới kèm tệp.")
    media_type = check_type(declared_type, data)
    digest = await store.put(data)
    attached = await study.conn.fetchval(
        Q["attach_reflection_file"], reflection_id, digest, media_type, len(data), file_name
    )
    if attached is None:  # reviewed between the two statements
        raise Conflict("Bài thu hoạch vừa được xem xét; hãy nộp bản mới kèm tệp.")
    target = f"reflection:{reflection_id}"
    await record(study.conn, study.ctx, "reflection_file_attached", target=target, details={"bytes": len(data)})
    return reflection_from_row(await study.conn.fetchrow(Q["get_reflection"], reflection_id))


async def locate(study: StudyService, store: BlobStore, reflection_id: UUID) -> tuple[ReflectionFile, bytes, Path]:
    """The file, its digest and where its bytes are, for its author or a leader of the author's branch."""
    row = await study.conn.fetchrow(Q["get_reflection"], reflection_id)
    principal = study.principal
    visible = row is not None and (
        row["member_id"] == principal.member_id or principal.covers(BRANCH_LEADERS, row["branch_path"])
    )
    if row is None or not visible or row["file_sha256"] is None:
        raise NotFound(f"No file for reflection {reflection_id}.")
    path = await store.path(row["file_sha256"])
    if path is None:
        raise NotFound(f"No file for reflection {reflection_id}.")
    file = ReflectionFile(name=row["file_name"], media_type=row["file_media_type"], size_bytes=row["file_size"])
    return file, row["file_sha256"], path
