"""Moderation: reports from anyone, a queue and actions for the moderators over an item, appeals."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK

from api.auth.guards import ACCESS, requires, signed_in
from api.context import request_context
from api.deps import Conn, UuidPath
from api.feedback.access import MODERATORS
from api.feedback.limits import PostingLimits
from api.moderation.schemas import (
    AppealDecision,
    AppealRequest,
    ItemKind,
    ModerationCase,
    ModerationOutcome,
    ModerationRequest,
    QueueItem,
    ReportReceipt,
    ReportRequest,
)
from api.moderation.service import ModerationService

KindPath = Annotated[ItemKind, PathParameter(description="thread, reply or faq")]
QueueSize = Annotated[int, QueryParameter(ge=1, le=200)]


async def provide_moderation(conn: Conn, request: Request[Any, Any, Any], state: State) -> ModerationService:
    return ModerationService(conn, request_context(request), PostingLimits(state.redis))


Moderation = NamedDependency[ModerationService]
ITEM = "/items/{item_kind:str}/{item_id:uuid}"


class ModerationController(Controller):
    path = "/api/v1/moderation"
    tags = ["moderation"]
    opt = {ACCESS: signed_in}
    dependencies = {"moderation": Provide(provide_moderation)}

    @post(f"{ITEM}/report", operation_id="ReportContent")
    async def report(
        self, item_kind: KindPath, item_id: UuidPath, data: JSONBody[ReportRequest], moderation: Moderation
    ) -> ReportReceipt:
        """Report a thread, a reply or an FAQ entry you can see; your reports on one item count once."""
        return await moderation.report(item_kind, item_id, data)

    @delete(f"{ITEM}/report", operation_id="RetractReport")
    async def retract(self, item_kind: KindPath, item_id: UuidPath, moderation: Moderation) -> None:
        """Withdraw your report on an item."""
        await moderation.retract(item_kind, item_id)

    @get("/queue", operation_id="ListModerationQueue", opt={ACCESS: requires(MODERATORS)})
    async def queue(self, moderation: Moderation, limit: QueueSize = 100) -> list[QueueItem]:
        """Reported items and pending appeals under your units, oldest first, with reasons and counts."""
        return await moderation.queue(limit)

    @post(
        f"{ITEM}/actions", operation_id="ModerateContent", opt={ACCESS: requires(MODERATORS)}, status_code=HTTP_200_OK
    )
    async def act(
        self, item_kind: KindPath, item_id: UuidPath, data: JSONBody[ModerationRequest], moderation: Moderation
    ) -> ModerationOutcome:
        """Hide (with a reason and a message), restore, lock or unlock, restrict the author, or dismiss reports."""
        return await moderation.act(item_kind, item_id, data)

    @post("/cases/{case_id:uuid}/appeal", operation_id="AppealModeration")
    async def appeal(self, case_id: UuidPath, data: JSONBody[AppealRequest], moderation: Moderation) -> ModerationCase:
        """Appeal once against the hiding of something you wrote."""
        return await moderation.appeal(case_id, data)

    @post(
        "/cases/{case_id:uuid}/decision",
        operation_id="DecideAppeal",
        opt={ACCESS: requires(MODERATORS)},
        status_code=HTTP_200_OK,
    )
    async def decide(self, case_id: UuidPath, data: JSONBody[AppealDecision], moderation: Moderation) -> ModerationCase:
        """Uphold or overturn an appeal (not on something you hid yourself)."""
        return await moderation.decide(case_id, data)
