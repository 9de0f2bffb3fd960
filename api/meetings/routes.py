"""Branch meetings: templates, scheduling, RSVPs and absences, check-in, minutes and quality reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, cast
from uuid import UUID

from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from api.auth.guards import ACCESS, current_principal, requires, signed_in
from api.auth.principal import BRANCH_LEADERS, REGISTER_READERS
from api.auth.throttle import Throttle
from api.context import request_context
from api.db import Pool
from api.deps import Conn, IdQuery, UuidPath
from api.http_cache import Answer, etagged, shaped
from api.meetings.access import known_branches
from api.meetings.attendance import AttendanceService
from api.meetings.quality import QualityService
from api.meetings.schemas import (
    Absence,
    AbsenceDecision,
    AbsenceRequest,
    Attendance,
    CancelRequest,
    CheckIn,
    CheckInCode,
    CheckInRequest,
    MarkAttendanceRequest,
    Meeting,
    MeetingCreate,
    MeetingPage,
    MeetingTemplate,
    MeetingUpdate,
    MinutesRequest,
    QualityReport,
    Rsvp,
    RsvpRequest,
    TemplateCreate,
    TemplateUpdate,
)
from api.meetings.service import MeetingService
from api.meetings.templates import TemplateService
from api.meetings.upcoming import MeetingWrites, UpcomingMeetings
from api.pending_writes import request_writes, settle_request_writes
from api.transaction import NO_TRANSACTION

CHECK_IN_ATTEMPTS = 10
"""Wrong codes a member may try per meeting and hour: a six-digit guess rarely hits (about 5 in a million)."""
CHECK_IN_WINDOW_SECONDS = 3600

leaders = requires(BRANCH_LEADERS)
PageLimit = Annotated[int, QueryParameter(ge=1, le=100)]
DateQuery = FromQuery[date | None]
WhenQuery = FromQuery[Literal["upcoming", "past"]]


UPCOMING_MEETINGS = "upcoming_meetings"
"""Where the app keeps its UpcomingMeetings (made beside the other caches in api/app.py, with the listener)."""


def upcoming_meetings(state: State) -> UpcomingMeetings:
    """The app's copies of branches' meetings to come; an app built without a listener gets copies that are
    never trusted, so every listing reads PostgreSQL."""
    upcoming = state.get(UPCOMING_MEETINGS)
    if upcoming is None:
        upcoming = state[UPCOMING_MEETINGS] = UpcomingMeetings()
    return cast("UpcomingMeetings", upcoming)


def meeting_writes(request: Request[Any, Any, Any]) -> MeetingWrites | None:
    """A writing request's record of what it changes (settled after its answer); None for a read."""
    if request.method in {"GET", "HEAD"}:
        return None
    return MeetingWrites(request_writes(request), upcoming_meetings(request.app.state))


async def provide_meetings(conn: Conn, request: Request[Any, Any, Any]) -> MeetingService:
    return MeetingService(conn, request_context(request), writes=meeting_writes(request))


async def provide_templates(conn: Conn, request: Request[Any, Any, Any]) -> TemplateService:
    return TemplateService(conn, request_context(request), writes=meeting_writes(request))


async def provide_attendance(conn: Conn, request: Request[Any, Any, Any], state: State) -> AttendanceService:
    throttle = Throttle(
        state.redis, namespace="meeting-check-in", limit=CHECK_IN_ATTEMPTS, window_seconds=CHECK_IN_WINDOW_SECONDS
    )
    return AttendanceService(conn, request_context(request), check_in_throttle=throttle, writes=meeting_writes(request))


async def provide_quality(conn: Conn, request: Request[Any, Any, Any]) -> QualityService:
    return QualityService(conn, request_context(request))


Meetings = NamedDependency[MeetingService]
Templates = NamedDependency[TemplateService]
Taking = NamedDependency[AttendanceService]
Quality = NamedDependency[QualityService]


class MeetingsController(Controller):
    path = "/api/v1/meetings"
    tags = ["meetings"]
    opt = {ACCESS: signed_in}
    after_response = staticmethod(settle_request_writes)  # every writing route: see MeetingWrites
    dependencies = {
        "meetings": Provide(provide_meetings),
        "templates": Provide(provide_templates),
        "taking": Provide(provide_attendance),
        "quality": Provide(provide_quality),
    }

    # Templates ------------------------------------------------------------------------------------

    @post("/templates", operation_id="CreateMeetingTemplate", opt={ACCESS: leaders})
    async def create_template(self, data: JSONBody[TemplateCreate], templates: Templates) -> MeetingTemplate:
        """A monthly meeting described once ("day N at HH:MM"); its next months' meetings appear at once."""
        return await templates.create(data)

    @get("/templates", operation_id="ListMeetingTemplates", opt={ACCESS: leaders})
    async def list_templates(self, templates: Templates) -> list[MeetingTemplate]:
        """The templates of the branches you lead, with their meetings to come."""
        return await templates.list_templates()

    @put("/templates/{template_id:uuid}", operation_id="UpdateMeetingTemplate", opt={ACCESS: leaders})
    async def update_template(
        self, template_id: UuidPath, data: JSONBody[TemplateUpdate], templates: Templates
    ) -> MeetingTemplate:
        """Change or stop a template; meetings to come that were not edited one by one follow the change."""
        return await templates.update(template_id, data)

    @post(
        "/templates/{template_id:uuid}/materialise",
        operation_id="MaterialiseMeetingTemplate",
        opt={ACCESS: leaders},
        status_code=HTTP_200_OK,
    )
    async def materialise(self, template_id: UuidPath, templates: Templates) -> MeetingTemplate:
        """Make the meetings a template owes now (the scheduled job does it too); doing it twice makes nothing."""
        return await templates.materialise_one(template_id)

    # Meetings -------------------------------------------------------------------------------------

    @post("", operation_id="CreateMeeting", opt={ACCESS: leaders})
    async def create(self, data: JSONBody[MeetingCreate], meetings: Meetings) -> Meeting:
        """Schedule a one-off (thematic) meeting in a branch you lead; ``id`` may be made by the client."""
        return await meetings.create(data)

    @get(
        "",
        operation_id="ListMeetings",
        responses=shaped(MeetingPage),
        opt={NO_TRANSACTION: True},  # the home screen's next meeting; reads only
    )
    async def list_meetings(
        self,
        request: Request[Any, Any, Any],
        branch_id: IdQuery = None,
        when: WhenQuery = "upcoming",
        include_cancelled: FromQuery[bool] = False,
        after: FromQuery[UUID | None] = None,
        limit: PageLimit = 20,
    ) -> Answer:
        """Meetings of your branch (and those you lead), or of ``branch_id`` in your scope; upcoming: the next
        first, past: the latest first. Cursor-paged with ``after``."""
        # As ListNotices: no dependency, so the usual listing (the home screen's) borrows no connection when
        # the worker's copies are warm (api/meetings/upcoming.py).
        pool: Pool = request.app.state.db_pool
        caller = current_principal(request)
        branches = known_branches(caller)
        if when == "upcoming" and branch_id is None and after is None and branches is not None:
            upcoming = upcoming_meetings(request.app.state)
            page = await upcoming.first_page(
                pool.acquire, branches, caller.member_id, include_cancelled=include_cancelled, limit=limit
            )
            if page is not None:
                return etagged(request, page)
        async with pool.acquire() as conn:
            page = await MeetingService(conn, request_context(request)).list_meetings(
                branch_id=branch_id, when=when, include_cancelled=include_cancelled, after=after, limit=limit
            )
        return etagged(request, page)

    @get("/quality", operation_id="GetMeetingQuality", opt={ACCESS: requires(REGISTER_READERS)})
    async def get_quality(
        self, quality: Quality, unit_id: IdQuery = None, since: DateQuery = None, until: DateQuery = None
    ) -> QualityReport:
        """Guidance 42-HD/BTCTW per branch under ``unit_id`` (default: your units) for meetings that started
        between ``since`` and ``until`` (local dates; default: this month and the two before)."""
        return await quality.report(unit_id=unit_id, since=since, until=until)

    @get("/{meeting_id:uuid}", operation_id="GetMeeting")
    async def get_meeting(self, meeting_id: UuidPath, meetings: Meetings) -> Meeting:
        """One meeting, with your answer, your absence request and whether you are checked in."""
        return await meetings.get(meeting_id)

    @put("/{meeting_id:uuid}", operation_id="UpdateMeeting", opt={ACCESS: leaders})
    async def update(self, meeting_id: UuidPath, data: JSONBody[MeetingUpdate], meetings: Meetings) -> Meeting:
        """Change a scheduled meeting; a new time or place is pushed to the branch's members (high urgency)."""
        return await meetings.update(meeting_id, data)

    @post("/{meeting_id:uuid}/cancel", operation_id="CancelMeeting", opt={ACCESS: leaders}, status_code=HTTP_200_OK)
    async def cancel(self, meeting_id: UuidPath, data: JSONBody[CancelRequest], meetings: Meetings) -> Meeting:
        """Cancel a scheduled meeting; the branch's members are told at once."""
        return await meetings.cancel(meeting_id, data)

    @post("/{meeting_id:uuid}/minutes", operation_id="PublishMinutes", opt={ACCESS: leaders}, status_code=HTTP_200_OK)
    async def publish_minutes(
        self, meeting_id: UuidPath, data: JSONBody[MinutesRequest], meetings: Meetings
    ) -> Meeting:
        """Publish the minutes (Markdown) once the meeting has started, or correct them later."""
        return await meetings.publish_minutes(meeting_id, data)

    # Taking part ----------------------------------------------------------------------------------

    @post("/{meeting_id:uuid}/rsvp", operation_id="RsvpMeeting", status_code=HTTP_200_OK)
    async def rsvp(self, meeting_id: UuidPath, data: JSONBody[RsvpRequest], taking: Taking) -> Rsvp:
        """Say whether you will attend; the latest answer (by when it was made, even offline) stands."""
        return await taking.rsvp(meeting_id, data)

    @post("/{meeting_id:uuid}/absences", operation_id="RequestAbsence")
    async def request_absence(self, meeting_id: UuidPath, data: JSONBody[AbsenceRequest], taking: Taking) -> Absence:
        """Ask to be excused, with a reason; your secretary approves or refuses."""
        return await taking.request_absence(meeting_id, data)

    @post(
        "/absences/{absence_id:uuid}/decision",
        operation_id="DecideAbsence",
        opt={ACCESS: leaders},
        status_code=HTTP_200_OK,
    )
    async def decide_absence(self, absence_id: UuidPath, data: JSONBody[AbsenceDecision], taking: Taking) -> Absence:
        """Approve or refuse an absence request of your branch; the member is told."""
        return await taking.decide_absence(absence_id, data)

    @get("/{meeting_id:uuid}/check-in-code", operation_id="GetCheckInCode", opt={ACCESS: leaders})
    async def check_in_code(self, meeting_id: UuidPath, taking: Taking) -> Response[CheckInCode]:
        """The rotating code to show (and its QR), with what your phone needs to go on showing it offline."""
        return Response(await taking.check_in_code(meeting_id), headers={"Cache-Control": "no-store"})

    @post("/{meeting_id:uuid}/check-ins", operation_id="CheckIn", status_code=HTTP_200_OK)
    async def check_in(self, meeting_id: UuidPath, data: JSONBody[CheckInRequest], taking: Taking) -> CheckIn:
        """Check in with the code shown at the meeting, now or later with the time your phone saw it."""
        return await taking.check_in(meeting_id, data)

    @get("/{meeting_id:uuid}/attendance", operation_id="GetMeetingAttendance", opt={ACCESS: leaders})
    async def attendance(self, meeting_id: UuidPath, taking: Taking) -> Attendance:
        """The roll: every member's answer, absence request and presence, with the attendance band."""
        return await taking.roster(meeting_id)

    @post(
        "/{meeting_id:uuid}/attendance",
        operation_id="MarkAttendance",
        opt={ACCESS: leaders},
        status_code=HTTP_200_OK,
    )
    async def mark_attendance(
        self, meeting_id: UuidPath, data: JSONBody[MarkAttendanceRequest], taking: Taking
    ) -> Attendance:
        """Mark members present or absent by hand; your mark wins over a code check-in."""
        return await taking.mark(meeting_id, data)
