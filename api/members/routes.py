"""The member register: rosters, single records, the import, and access management."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter
from litestar.status_codes import HTTP_200_OK

from api.auth.guards import ACCESS, requires, signed_in
from api.auth.principal import ACCESS_MANAGERS, ADMINS, REGISTER_READERS
from api.context import app_settings, request_context
from api.deps import AppSettings, Conn, Ctx, IdPath, IdQuery, Limit, UuidPath
from api.errors import UnsupportedMediaType
from api.members.importer import import_members_file
from api.members.schemas import ActivationCode, ActivationSheet, ImportReport, Member, MemberPage
from api.members.service import MemberService
from api.uploads import read_limited

_CSV_TYPES = ("text/csv", "application/csv", "application/vnd.ms-excel", "text/plain")


async def provide_member_service(conn: Conn, request: Request[Any, Any, Any], state: State) -> MemberService:
    settings = app_settings(request)
    return MemberService(
        conn,
        request_context(request),
        sessions=state.sessions,
        secret_key=settings.secret_key.reveal(),
        activation_code_days=settings.activation_code_days,
    )


class MembersController(Controller):
    path = "/api/v1"
    tags = ["members"]
    dependencies = {"members": Provide(provide_member_service)}

    @get("/members", operation_id="ListMembers", opt={ACCESS: requires(REGISTER_READERS)})
    async def list_members(
        self,
        members: NamedDependency[MemberService],
        unit_id: IdQuery = None,
        after: Annotated[str | None, QueryParameter(max_length=40)] = None,
        limit: Limit = 100,
    ) -> MemberPage:
        """Members in the caller's scope (optionally one unit's subtree), by card number, cursor-paged."""
        return await members.list(unit_id=unit_id, after=after, limit=limit)

    @get("/members/{member_id:uuid}", operation_id="GetMember", opt={ACCESS: signed_in})
    async def get_member(self, member_id: UuidPath, members: NamedDependency[MemberService]) -> Member:
        """One member record: your own, or one in your scope."""
        return await members.get(member_id)

    @post(
        "/members/{member_id:uuid}/reset-access",
        operation_id="ResetMemberAccess",
        opt={ACCESS: requires(ACCESS_MANAGERS)},
        status_code=HTTP_200_OK,
    )
    async def reset_access(self, member_id: UuidPath, members: NamedDependency[MemberService]) -> ActivationCode:
        """Sign the member out everywhere and issue a new one-time activation code."""
        return await members.reset_access(member_id)

    @post(
        "/org/units/{unit_id:int}/activation-codes",
        operation_id="IssueActivationCodes",
        opt={ACCESS: requires(ACCESS_MANAGERS)},
        status_code=HTTP_200_OK,
    )
    async def issue_codes(self, unit_id: IdPath, members: NamedDependency[MemberService]) -> ActivationSheet:
        """A printable sheet of new codes for the branch's members who have not activated yet."""
        return await members.issue_activation_codes(unit_id)

    @post(
        "/members/import",
        operation_id="ImportMembers",
        opt={ACCESS: requires(ADMINS)},
        status_code=HTTP_200_OK,
        request_max_body_size=None,
    )
    async def import_members(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        ctx: Ctx,
        settings: AppSettings,
        file_name: Annotated[str, QueryParameter(max_length=200)] = "upload.csv",
        dry_run: FromQuery[bool] = False,
    ) -> ImportReport:
        """Import a CSV export of the member database (body: the file, Content-Type text/csv).

        Every bad row is reported with its line number and reason; the good rows are imported.
        """
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in _CSV_TYPES:
            raise UnsupportedMediaType("Hãy gửi chính tệp CSV làm nội dung, với Content-Type: text/csv.")
        data = await read_limited(request, settings.import_max_bytes)
        return await import_members_file(
            conn, ctx, data, file_name=file_name, dry_run=dry_run, scope_unit_ids=ctx.caller.units_for(ADMINS)
        )
