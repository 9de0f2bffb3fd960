"""DomainError tree and the mapping of every error to an RFC 9457 problem response.

Each problem kind has a stable ``type`` URI and a fixed ``title``; ``detail`` says what happened this
time. Litestar's own exceptions are mapped here too, because its built-in problem mapping swaps
title and detail and would leak internal messages on 500s.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import asyncpg
import msgspec
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from redis.exceptions import RedisError

log = logging.getLogger("ehandbook.errors")

PROBLEM_TYPE_BASE = "https://ehandbook.vn/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(msgspec.Struct, frozen=True):
    """One invalid field: where it is and what is wrong with it."""

    field: str
    message: str


class Problem(msgspec.Struct, frozen=True, omit_defaults=True):
    """The RFC 9457 body."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


class DomainError(Exception):
    """Base of every error the services raise on purpose."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        keep_writes: bool = False,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.keep_writes = keep_writes
        """Commit the request's writes anyway: the refusal is itself a fact to keep (a failed sign-in)."""


class InvalidInput(DomainError):
    status, slug, title = 400, "invalid-input", "The request is not valid"


class Unauthenticated(DomainError):
    status, slug, title = 401, "unauthenticated", "Sign-in required"


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFound(DomainError):
    """Also raised for things that exist but lie outside the caller's scope, so nobody can probe."""

    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflicts with the current state"


class PayloadTooLarge(DomainError):
    status, slug, title = 413, "payload-too-large", "The request body is too large"


class UnsupportedMediaType(DomainError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class Unprocessable(DomainError):
    status, slug, title = 422, "unprocessable", "The request cannot be processed"


class TooManyRequests(DomainError):
    status, slug, title = 429, "too-many-requests", "Too many requests"

    def __init__(self, detail: str, *, retry_after: int, keep_writes: bool = False) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after))}, keep_writes=keep_writes)


class ServiceUnavailable(DomainError):
    status, slug, title = 503, "service-unavailable", "Service unavailable"


# Litestar raises its own HTTPExceptions for routing, parsing and guards; give them stable types.
_HTTP_STATUS_PROBLEMS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Sign-in required"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("payload-too-large", "The request body is too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("too-many-requests", "Too many requests"),
    503: ("service-unavailable", "Service unavailable"),
}


def problem_response(
    request: Request[Any, Any, Any], problem: Problem, headers: dict[str, str] | None = None
) -> Response[bytes]:
    return Response(
        content=msgspec.json.encode(problem),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _problem(
    slug: str,
    title: str,
    status: int,
    detail: str,
    request: Request[Any, Any, Any],
    *,
    errors: list[FieldError] | None = None,
) -> Problem:
    return Problem(
        type=PROBLEM_TYPE_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )


def handle_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[bytes]:
    problem = _problem(exc.slug, exc.title, exc.status, exc.detail, request, errors=exc.errors)
    return problem_response(request, problem, exc.headers)


def handle_validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[bytes]:
    errors = [
        FieldError(field=_field_of(item), message=str(item.get("message", "invalid")))
        for item in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(item, dict)
    ]
    detail = "Dữ liệu gửi lên không hợp lệ."
    problem = _problem(InvalidInput.slug, InvalidInput.title, 400, detail, request, errors=errors or None)
    return problem_response(request, problem)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    status = exc.status_code
    if status >= 500:
        return handle_unexpected(request, exc)
    slug, title = _HTTP_STATUS_PROBLEMS.get(status, ("client-error", "Client error"))
    detail = _safe_detail(exc.detail) or title
    headers = dict(exc.headers or {})
    return problem_response(request, _problem(slug, title, status, detail, request), headers)


def handle_undecodable_input(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Text or numbers PostgreSQL refuses (NUL bytes, out-of-range values) that slipped past validation.

    A safety net: the schemas refuse such input first. Logged, since it means a validation gap.
    """
    log.warning("input refused by the database: %s", type(exc).__name__)
    problem = _problem(
        InvalidInput.slug,
        InvalidInput.title,
        400,
        "The request contains a value that cannot be stored (for example a NUL character or a number out of range).",
        request,
    )
    return problem_response(request, problem)


def handle_redis_down(request: Request[Any, Any, Any], exc: RedisError) -> Response[bytes]:
    """Redis holds only what can be rebuilt; while it is away, what needs it (sign-in throttling) waits."""
    log.warning("redis unavailable: %s", type(exc).__name__)
    problem = _problem(
        ServiceUnavailable.slug,
        ServiceUnavailable.title,
        503,
        "Hệ thống đang bận, vui lòng thử lại sau ít phút.",
        request,
    )
    return problem_response(request, problem, {"Retry-After": "30"})


def handle_invalid_encoding(request: Request[Any, Any, Any], exc: UnicodeDecodeError) -> Response[bytes]:
    problem = _problem(InvalidInput.slug, InvalidInput.title, 400, "The request body is not valid UTF-8.", request)
    return problem_response(request, problem)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    # The traceback goes to the log (with the request id); the client learns nothing internal.
    log.error("unhandled error", exc_info=exc)
    problem = _problem(
        "internal",
        "Internal error",
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Something went wrong on our side; it has been logged.",
        request,
    )
    return problem_response(request, problem)


async def docs_not_found_as_problem(response: Any) -> Any:
    """Litestar's API-docs router answers unknown /api/<page> paths with an HTML 404 page; make it a problem."""
    if not isinstance(response, Response):  # a finished answer (api/http_cache.py) is never that page
        return response
    media_type = response.media_type
    if response.status_code == 404 and getattr(media_type, "value", media_type) == MediaType.HTML.value:
        problem = Problem(type=PROBLEM_TYPE_BASE + "not-found", title="Not found", status=404, detail="No such page.")
        return Response(content=msgspec.json.encode(problem), status_code=404, media_type=PROBLEM_MEDIA_TYPE)
    return response


def _field_of(item: dict[str, Any]) -> str:
    key = item.get("key")
    if key:
        return str(key)
    message = str(item.get("message", ""))
    # msgspec reports the location as "... - at `$.field`"; keep just the path.
    if "at `$" in message:
        return message.rsplit("at `$", 1)[1].rstrip("`").lstrip(".") or "body"
    return "body"


def _safe_detail(detail: str) -> str:
    return detail[:500] if detail else ""


exception_handlers: dict[type[Exception] | int, Any] = {
    DomainError: handle_domain_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_exception,
    asyncpg.DataError: handle_undecodable_input,
    UnicodeEncodeError: handle_undecodable_input,
    UnicodeDecodeError: handle_invalid_encoding,
    RedisError: handle_redis_down,
    Exception: handle_unexpected,
}
