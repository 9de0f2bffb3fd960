"""Names for what the DI container injects; Litestar 3 wants injected parameters marked explicitly."""

from __future__ import annotations

from typing import Annotated, TypeAlias
from uuid import UUID

from litestar.di import NamedDependency
from litestar.params import FromPath, PathParameter, QueryParameter

from api.context import RequestContext
from api.db import Connection
from api.settings import Settings

Conn: TypeAlias = NamedDependency[Connection]
Ctx: TypeAlias = NamedDependency[RequestContext]
AppSettings: TypeAlias = NamedDependency[Settings]

MAX_ID = 2**62
"""Ids are bigint in PostgreSQL; anything larger is refused as input, not overflowed into a 500."""

IdPath: TypeAlias = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
UuidPath: TypeAlias = FromPath[UUID]
IdQuery: TypeAlias = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
Limit: TypeAlias = Annotated[int, QueryParameter(ge=1, le=500)]
