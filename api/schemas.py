"""The base of every request body: text that PostgreSQL and every later reader can hold."""

from __future__ import annotations

import unicodedata
from typing import Any

import msgspec


def clean_text(value: str) -> str:
    """NFC-normalised text; refuses NUL and lone surrogates, which no database column can store."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode") from None
    return unicodedata.normalize("NFC", value)


class Input(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Every request body decodes into a subclass; its strings are checked and NFC-normalised.

    msgspec runs ``__post_init__`` after decoding and turns a ValueError into a validation error,
    so bad text answers 400 with the field named instead of failing later in the database.
    """

    def __post_init__(self) -> None:
        for name in self.__struct_fields__:
            value: Any = getattr(self, name)
            if isinstance(value, str):
                try:
                    cleaned = clean_text(value)
                except ValueError as error:
                    raise ValueError(f"{name}: {error}") from None
                if cleaned != value:
                    msgspec.structs.force_setattr(self, name, cleaned)
