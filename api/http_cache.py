"""ETags for content reads: a client that already holds the answer gets 304 and no body.

The tag is a digest of the exact bytes that would be sent, so it covers everything in the answer
(also per-caller parts such as "acknowledged"). Answers are private: they depend on who asks, and
must never sit in a shared cache.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import File
from litestar.status_codes import HTTP_200_OK, HTTP_304_NOT_MODIFIED
from litestar.types import Receive, Scope, Send

CONTENT_CACHE_CONTROL = "private, no-cache"
"""Keep it, but ask each time: revalidation is one cheap 304 on a phone's slow link."""


_JSON = (b"content-type", b"application/json")
_VARY = (b"vary", b"Authorization, Cookie")


class Answer:
    """A finished answer, sent as it is.

    A handler annotated to return an ASGI app has what it returns sent unchanged, where a ``Response``
    is converted on every request (its headers gathered into a new header object, encoded, a new
    response object made): on a revalidated section read that conversion cost more than the read
    (decision 40). The headers are already encoded, and a fresh list per answer, since the middleware
    adds its own to it.
    """

    __slots__ = ("body", "headers", "status_code")

    def __init__(self, status_code: int, headers: list[tuple[bytes, bytes]], body: bytes = b"") -> None:
        self.status_code = status_code
        self.headers = headers
        self.body = body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body, "more_body": False})


def shaped(body: Any) -> dict[int, ResponseSpec]:
    """Document the JSON shape of an answer sent as a finished ``Answer`` (for its ETag)."""
    return {
        200: ResponseSpec(
            data_container=body, generate_examples=False, description="The JSON answer; 304 with If-None-Match"
        )
    }


def etagged(request: Request[Any, Any, Any], payload: object, *, cache_control: str = CONTENT_CACHE_CONTROL) -> Answer:
    body = msgspec.json.encode(payload)
    return etagged_bytes(request, body, content_etag(body), cache_control=cache_control)


def etagged_bytes(
    request: Request[Any, Any, Any], body: bytes, etag: str, *, cache_control: str = CONTENT_CACHE_CONTROL
) -> Answer:
    """An already encoded JSON answer and its tag: 304 without a body when the client holds it."""
    headers = [(b"etag", etag.encode()), (b"cache-control", cache_control.encode()), _VARY]
    presented = _if_none_match(request.scope)
    if presented and etag in _presented(presented):
        return Answer(HTTP_304_NOT_MODIFIED, headers)
    headers += (_JSON, (b"content-length", str(len(body)).encode()))
    return Answer(HTTP_200_OK, headers, body)


def stored_file(
    request: Request[Any, Any, Any], path: Path, *, digest: str, media_type: str, file_name: str, cache_control: str
) -> Response[bytes] | File:
    """An uploaded file from the blob store, tagged by its content digest: 304 when the client holds it."""
    etag = f'"{digest}"'
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if etag in _presented(request.headers.get("if-none-match", "")):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    return File(
        path=path, media_type=media_type, filename=file_name, content_disposition_type="inline", headers=headers
    )


def content_etag(body: bytes) -> str:
    """A strong validator for exactly these bytes."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def _if_none_match(scope: Scope) -> str:
    # Straight from the raw header list: building the request's header mapping costs more than this.
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return value.decode("latin-1")
    return ""


def _presented(header: str) -> set[str]:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return tags - {""}
