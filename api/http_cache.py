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
from litestar.response import File
from litestar.status_codes import HTTP_304_NOT_MODIFIED

CONTENT_CACHE_CONTROL = "private, no-cache"
"""Keep it, but ask each time: revalidation is one cheap 304 on a phone's slow link."""


def etagged(
    request: Request[Any, Any, Any], payload: object, *, cache_control: str = CONTENT_CACHE_CONTROL
) -> Response[bytes]:
    body = msgspec.json.encode(payload)
    return etagged_bytes(request, body, content_etag(body), cache_control=cache_control)


def etagged_bytes(
    request: Request[Any, Any, Any], body: bytes, etag: str, *, cache_control: str = CONTENT_CACHE_CONTROL
) -> Response[bytes]:
    """An already encoded JSON answer and its tag: 304 without a body when the client holds it."""
    headers = {"ETag": etag, "Cache-Control": cache_control, "Vary": "Authorization, Cookie"}
    if etag in _presented(request.headers.get("if-none-match", "")):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


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


def _presented(header: str) -> set[str]:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return tags - {""}
