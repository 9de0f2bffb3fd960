"""File uploads sent as the raw request body: read with a hard size limit, never all at once blindly."""

from __future__ import annotations

from typing import Any

from litestar import Request

from api.errors import PayloadTooLarge


async def read_limited(request: Request[Any, Any, Any], limit: int) -> bytes:
    """The body, refused with 413 as soon as it passes ``limit`` bytes (declared or actually sent)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"Tệp lớn hơn giới hạn {limit:,} byte.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"Tệp lớn hơn giới hạn {limit:,} byte.")
        chunks.append(chunk)
    return b"".join(chunks)
