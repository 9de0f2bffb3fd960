"""Load the handbook we wrote for the demo (seed_content/*.md) as published province-wide documents."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec

from api.db import Connection
from api.handbook.service import derived_columns
from api.sql import queries_beside

Q = queries_beside(__file__)
SEED_CONTENT = Path(__file__).with_name("seed_content")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_SECTION = re.compile(r"^## +(.+)$", re.MULTILINE)


class SeedSection(msgspec.Struct, frozen=True):
    title: str
    body_md: str


class SeedDocument(msgspec.Struct, frozen=True):
    slug: str
    kind: str
    title: str
    summary: str
    requires_ack: bool
    sections: list[SeedSection]


def parse_seed_document(path: Path) -> SeedDocument:
    """One file: front matter (title, kind, summary, requires_ack), then `## Title` sections."""
    text = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise ValueError(f"{path.name}: no front matter")
    meta = dict(line.split(":", 1) for line in match.group(1).splitlines() if ":" in line)
    meta = {key.strip(): value.strip() for key, value in meta.items()}
    body = text[match.end() :]
    heads = list(_SECTION.finditer(body))
    sections = [
        SeedSection(
            title=head.group(1).strip(),
            body_md=body[head.end() : heads[i + 1].start() if i + 1 < len(heads) else len(body)].strip(),
        )
        for i, head in enumerate(heads)
    ]
    slug = path.stem.split("-", 1)[1]
    return SeedDocument(
        slug=slug,
        kind=meta["kind"],
        title=meta["title"],
        summary=meta.get("summary", ""),
        requires_ack=meta.get("requires_ack", "false").lower() == "true",
        sections=sections,
    )


async def seed_handbook(conn: Connection, *, audience_unit_id: int, folder: Path = SEED_CONTENT) -> int:
    """Create and publish every seed document; return the number of sections written."""
    written = 0
    documents = [parse_seed_document(path) for path in sorted(folder.glob("[0-9][0-9]-*.md"))]  # noqa: ASYNC240
    for position, document in enumerate(documents):
        document_id = await conn.fetchval(
            Q["insert_document"],
            document.slug,
            document.kind,
            document.title,
            document.summary,
            audience_unit_id,
            document.requires_ack,
            position,
            None,
        )
        for index, section in enumerate(document.sections):
            section_id = await conn.fetchval(
                Q["insert_section"],
                document_id,
                index,
                *derived_columns(section.title, section.body_md),
                document.requires_ack,
            )
            await conn.execute(Q["insert_revision"], section_id, 1, section.title, section.body_md, True, None)  # noqa: FBT003
            written += 1
        await conn.execute("update documents set status = 'published', published_at = now() where id = $1", document_id)
    return written
