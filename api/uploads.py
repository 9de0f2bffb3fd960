"""File uploads sent as the raw request body: a hard size limit, a type the bytes confirm, a clean name."""

from __future__ import annotations

from typing import Any

from litestar import Request

from api.errors import FieldError, InvalidInput, PayloadTooLarge, UnsupportedMediaType
from api.schemas import clean_text


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


# The declared type must match what the first bytes say: a "PDF" that is really HTML or a script is
# refused, so nothing uploaded can turn into a page on our origin.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/webp": (b"RIFF",),
}


def check_type(declared: str, data: bytes) -> str:
    """The media type to store, or UnsupportedMediaType when it is not allowed or not what the bytes are."""
    media_type = declared.split(";", maxsplit=1)[0].strip().lower()
    signatures = _SIGNATURES.get(media_type)
    if signatures is None:
        raise UnsupportedMediaType("Chỉ nhận tệp PDF, PNG, JPEG hoặc WebP.")
    matches = any(data.startswith(signature) for signature in signatures)
    if media_type == "image/webp":
        matches = matches and data[8:12] == b"WEBP"
    if not matches:
        raise UnsupportedMediaType(f"Nội dung tệp không phải {media_type} như đã khai báo.")
    return media_type


def upload_file_name(raw: str, *, fallback: str = "tep-dinh-kem") -> str:
    """The file name as given (NFC, no hostile characters), for display and download only."""
    try:
        return clean_text(raw).strip() or fallback
    except ValueError as error:
        raise InvalidInput(str(error), errors=[FieldError(field="file_name", message=str(error))]) from None
