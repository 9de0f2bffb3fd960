"""Two-way feedback: members ask a level, its officers answer; good answers become FAQ entries."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from api.auth.guards import ACCESS, requires, signed_in
from api.auth.principal import Role
from api.context import request_context
from api.deps import Conn, UuidPath
from api.feedback.access import FEEDBACK_STAFF
from api.feedback.faq import FaqService
from api.feedback.limits import PostingLimits
from api.feedback.schemas import (
    AuthorIdentity,
    Category,
    ConsentRequest,
    FaqEntry,
    FaqPage,
    FaqPublish,
    FeedbackCreate,
    FeedbackPage,
    FeedbackThread,
    RatingRequest,
    ReopenRequest,
    ReplyCreate,
    Status,
    StatusChange,
)
from api.feedback.service import FeedbackService

After = Annotated[UUID | None, QueryParameter(description="The last id of the previous page")]
PageSize = Annotated[int, QueryParameter(ge=1, le=100)]
StatusFilter = Annotated[Status | None, QueryParameter(description="Only threads in this status")]
CategoryFilter = Annotated[Category | None, QueryParameter(description="Only entries of this category")]


async def provide_feedback(conn: Conn, request: Request[Any, Any, Any], state: State) -> FeedbackService:
    return FeedbackService(conn, request_context(request), PostingLimits(state.redis))


async def provide_faq(conn: Conn, request: Request[Any, Any, Any]) -> FaqService:
    return FaqService(conn, request_context(request))


Feedback = NamedDependency[FeedbackService]
Faq = NamedDependency[FaqService]


class FeedbackController(Controller):
    path = "/api/v1"
    tags = ["feedback"]
    opt = {ACCESS: signed_in}
    dependencies = {"feedback": Provide(provide_feedback), "faq": Provide(provide_faq)}

    @post("/feedback", operation_id="CreateFeedback")
    async def create(self, data: JSONBody[FeedbackCreate], feedback: Feedback) -> FeedbackThread:
        """Send a question, suggestion or petition; only ``body`` is needed (your branch, a general category)."""
        return await feedback.create(data)

    @get("/feedback/mine", operation_id="ListMyFeedback")
    async def list_mine(self, feedback: Feedback, after: After = None, limit: PageSize = 50) -> FeedbackPage:
        """Your own threads, newest first."""
        return await feedback.list_mine(after, limit)

    @get("/feedback/inbox", operation_id="ListFeedbackInbox", opt={ACCESS: requires(FEEDBACK_STAFF)})
    async def inbox(
        self, feedback: Feedback, status: StatusFilter = None, after: After = None, limit: PageSize = 50
    ) -> FeedbackPage:
        """Threads from the members under your units, newest first; anonymous askers stay nameless."""
        return await feedback.inbox(status, after, limit)

    @get("/feedback/{thread_id:uuid}", operation_id="GetFeedback")
    async def get_thread(self, thread_id: UuidPath, feedback: Feedback) -> FeedbackThread:
        """One thread with its replies; hidden content shows as hidden except to its author and moderators."""
        return await feedback.get(thread_id)

    @post("/feedback/{thread_id:uuid}/replies", operation_id="ReplyFeedback")
    async def reply(self, thread_id: UuidPath, data: JSONBody[ReplyCreate], feedback: Feedback) -> FeedbackThread:
        """Reply as the asker, or answer as the officer responsible for the level (the thread becomes answered)."""
        return await feedback.reply(thread_id, data)

    @post("/feedback/{thread_id:uuid}/status", operation_id="SetFeedbackStatus", status_code=HTTP_200_OK)
    async def set_status(self, thread_id: UuidPath, data: JSONBody[StatusChange], feedback: Feedback) -> FeedbackThread:
        """Acknowledge a new thread (officer), or close an open one (asker or officer)."""
        return await feedback.set_status(thread_id, data)

    @post("/feedback/{thread_id:uuid}/rating", operation_id="RateFeedback", status_code=HTTP_200_OK)
    async def rate(self, thread_id: UuidPath, data: JSONBody[RatingRequest], feedback: Feedback) -> FeedbackThread:
        """Rate the answer from 1 to 5 (the asker)."""
        return await feedback.rate(thread_id, data)

    @post("/feedback/{thread_id:uuid}/reopen", operation_id="ReopenFeedback", status_code=HTTP_200_OK)
    async def reopen(self, thread_id: UuidPath, data: JSONBody[ReopenRequest], feedback: Feedback) -> FeedbackThread:
        """Reopen a thread within 14 days of its closing (the asker); it goes back to the officers."""
        return await feedback.reopen(thread_id, data)

    @put("/feedback/{thread_id:uuid}/faq-consent", operation_id="SetFaqConsent")
    async def set_consent(
        self, thread_id: UuidPath, data: JSONBody[ConsentRequest], feedback: Feedback
    ) -> FeedbackThread:
        """Agree (or no longer agree) that an anonymised answer is published as an FAQ entry (the asker)."""
        return await feedback.set_consent(thread_id, data)

    @post(
        "/feedback/{thread_id:uuid}/author",
        operation_id="RevealFeedbackAuthor",
        opt={ACCESS: requires(Role.MODERATOR)},
        status_code=HTTP_200_OK,
    )
    async def reveal_author(self, thread_id: UuidPath, feedback: Feedback) -> AuthorIdentity:
        """Who sent a thread, also an anonymous one: the committee's moderators only; every look is audited."""
        return await feedback.reveal_author(thread_id)

    @post("/faq", operation_id="PublishFaq", opt={ACCESS: requires(FEEDBACK_STAFF)})
    async def publish_faq(self, data: JSONBody[FaqPublish], faq: Faq) -> FaqEntry:
        """Publish your anonymised rewrite of an answered thread whose asker consented."""
        return await faq.publish(data)

    @get("/faq", operation_id="ListFaq")
    async def list_faq(
        self, faq: Faq, category: CategoryFilter = None, after: After = None, limit: PageSize = 50
    ) -> FaqPage:
        """FAQ entries of the levels above you and of the units you serve, newest first."""
        return await faq.list(category, after, limit)
