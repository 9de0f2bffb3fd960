"""Who has acknowledged a document: counts per branch at scale, names only inside one's own branch."""

from __future__ import annotations

from uuid import UUID

import msgspec

from api.auth.principal import BRANCH_LEADERS, Role
from api.handbook.schemas import AcknowledgementReport, BranchAcknowledgements, MemberAcknowledgement
from api.handbook.service import ContentService
from api.sql import queries_beside

Q = queries_beside(__file__)
REPORT_READERS = frozenset({*BRANCH_LEADERS, Role.OFFICER, Role.ADMIN})


async def acknowledgement_report(content: ContentService, document_id: UUID) -> AcknowledgementReport:
    await content.readable_document(document_id)
    principal = content.ctx.caller
    rows = await content.conn.fetch(Q["acknowledgement_counts"], document_id, principal.units_for(REPORT_READERS))
    branches = [
        BranchAcknowledgements(
            percent=round(100 * row["acknowledged"] / row["members"], 1) if row["members"] else 0.0, **dict(row)
        )
        for row in rows
    ]
    members: list[MemberAcknowledgement] = []
    for branch_id in principal.units_for(BRANCH_LEADERS):
        names = await content.conn.fetch(Q["acknowledgement_names"], document_id, branch_id)
        members.extend(msgspec.convert(dict(row), MemberAcknowledgement) for row in names)
    return AcknowledgementReport(document_id=document_id, branches=branches, members=members)
