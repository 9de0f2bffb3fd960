"""Study programs: committees assign, members study (offline-safe), secretaries review, everyone reports."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, QueryParameter
from litestar.response import File
from litestar.status_codes import HTTP_200_OK

from api.auth.guards import ACCESS, requires, signed_in
from api.auth.principal import BRANCH_LEADERS, REGISTER_READERS
from api.context import request_context
from api.deps import AppSettings, Conn, UuidPath
from api.http_cache import CONTENT_CACHE_CONTROL, stored_file
from api.study import reflection_files
from api.study.reports import report_csv
from api.study.schemas import (
    Progress,
    ProgressRequest,
    Quiz,
    QuizAttemptRequest,
    QuizResult,
    Reflection,
    ReflectionRequest,
    ReviewRequest,
    StudyProgram,
    StudyProgramCreate,
    StudyProgramPage,
    StudyReport,
)
from api.study.service import MANAGERS, StudyService
from api.uploads import read_limited, upload_file_name

ReportFormat = Annotated[Literal["json", "csv"], QueryParameter(name="format")]
Cursor = Annotated[str | None, QueryParameter(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
PageSize = Annotated[int, QueryParameter(ge=1, le=100)]


async def provide_study(conn: Conn, request: Request[Any, Any, Any]) -> StudyService:
    return StudyService(conn, request_context(request))


Study = NamedDependency[StudyService]


class StudyController(Controller):
    path = "/api/v1/study"
    tags = ["study"]
    opt = {ACCESS: signed_in}
    dependencies = {"study": Provide(provide_study)}

    @post("/programs", operation_id="CreateStudyProgram", opt={ACCESS: requires(MANAGERS)})
    async def create_program(self, data: JSONBody[StudyProgramCreate], study: Study) -> StudyProgram:
        """Assign materials, an optional quiz and reflection to every member under a unit in your scope."""
        return await study.create(data)

    @get("/programs", operation_id="ListStudyPrograms")
    async def list_programs(self, study: Study, after: Cursor = None, limit: PageSize = 20) -> StudyProgramPage:
        """Programs assigned to you (with your progress), and those you lead or manage: latest due first,
        cursor-paged (``next_cursor`` as ``after``)."""
        return await study.list_programs(after, limit)

    @get("/programs/{program_id:uuid}", operation_id="GetStudyProgram")
    async def get_program(self, program_id: UuidPath, study: Study) -> StudyProgram:
        """One program, with your progress when it is assigned to you."""
        return await study.get(program_id)

    @post("/programs/{program_id:uuid}/progress", operation_id="RecordStudyProgress", status_code=HTTP_200_OK)
    async def record_progress(self, program_id: UuidPath, data: JSONBody[ProgressRequest], study: Study) -> Progress:
        """Opened / read / completed events with client-made ids: a replay or a second device never double-counts."""
        return await study.record_progress(program_id, data)

    @get("/programs/{program_id:uuid}/quiz", operation_id="GetStudyQuiz")
    async def get_quiz(self, program_id: UuidPath, study: Study) -> Quiz:
        """The quiz without its answers, with your attempts so far."""
        return await study.quiz(program_id)

    @post("/programs/{program_id:uuid}/quiz/attempts", operation_id="SubmitQuizAttempt", status_code=HTTP_200_OK)
    async def submit_attempt(
        self, program_id: UuidPath, data: JSONBody[QuizAttemptRequest], study: Study
    ) -> QuizResult:
        """Score an attempt; the same attempt id again returns the stored result; past the limit 409."""
        return await study.submit_attempt(program_id, data)

    @post("/programs/{program_id:uuid}/reflections", operation_id="SubmitReflection", status_code=HTTP_200_OK)
    async def submit_reflection(
        self, program_id: UuidPath, data: JSONBody[ReflectionRequest], study: Study
    ) -> Reflection:
        """Submit your reflection (bài thu hoạch), or a new version after it was returned."""
        return await study.submit_reflection(program_id, data)

    @get(
        "/programs/{program_id:uuid}/reflections",
        operation_id="ListReflections",
        opt={ACCESS: requires(BRANCH_LEADERS)},
    )
    async def list_reflections(self, program_id: UuidPath, study: Study) -> list[Reflection]:
        """The latest reflection of each member of the branches you lead."""
        return await study.list_reflections(program_id)

    @post(
        "/reflections/{reflection_id:uuid}/review",
        operation_id="ReviewReflection",
        opt={ACCESS: requires(BRANCH_LEADERS)},
        status_code=HTTP_200_OK,
    )
    async def review(self, reflection_id: UuidPath, data: JSONBody[ReviewRequest], study: Study) -> Reflection:
        """Accept a reflection, or return it with a comment (audited)."""
        return await study.review(reflection_id, data)

    @put("/reflections/{reflection_id:uuid}/file", operation_id="UploadReflectionFile", request_max_body_size=None)
    async def upload_reflection_file(
        self,
        request: Request[Any, Any, Any],
        reflection_id: UuidPath,
        study: Study,
        state: State,
        settings: AppSettings,
        file_name: Annotated[str, QueryParameter(min_length=1, max_length=200)],
    ) -> Reflection:
        """Send (or replace) the file of your reflection while it waits for review: the file as the body."""
        data = await read_limited(request, settings.attachment_max_bytes)
        return await reflection_files.attach(
            study,
            state.blobs,
            reflection_id,
            data=data,
            declared_type=request.headers.get("content-type", ""),
            file_name=upload_file_name(file_name, fallback="bai-thu-hoach"),
        )

    @get("/reflections/{reflection_id:uuid}/file", operation_id="GetReflectionFile")
    async def get_reflection_file(
        self, request: Request[Any, Any, Any], reflection_id: UuidPath, study: Study, state: State
    ) -> Response[bytes] | File:
        """A reflection's file, for its author and the leaders of the author's branch (private, may change)."""
        file, digest, path = await reflection_files.locate(study, state.blobs, reflection_id)
        return stored_file(
            request,
            path,
            digest=digest.hex(),
            media_type=file.media_type,
            file_name=file.name,
            cache_control=CONTENT_CACHE_CONTROL,
        )

    @get(
        "/programs/{program_id:uuid}/report",
        operation_id="GetStudyReport",
        opt={ACCESS: requires(REGISTER_READERS)},
        responses={
            200: ResponseSpec(
                data_container=StudyReport,
                generate_examples=False,
                description="The report as JSON, or as CSV with ?format=csv",
            )
        },
    )
    async def report(self, program_id: UuidPath, study: Study, report_format: ReportFormat = "json") -> Response[bytes]:
        """Completion per branch (and commune) in your scope; ``?format=csv`` for Excel (UTF-8 with BOM)."""
        report = await study.report(program_id)
        if report_format == "csv":
            return Response(
                report_csv(report),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="bao-cao-hoc-tap-{program_id}.csv"'},
            )
        return Response(msgspec.json.encode(report), media_type="application/json")
