"""SearchContent: the handbook search box."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import QueryParameter

from api.auth.guards import ACCESS, signed_in
from api.handbook.routes import reader_scope
from api.search.service import SearchResults, search


class SearchController(Controller):
    path = "/api/v1/search"
    tags = ["handbook"]
    opt = {ACCESS: signed_in}

    @get("/", operation_id="SearchContent")
    async def search_content(
        self,
        request: Request[Any, Any, Any],
        q: Annotated[str, QueryParameter(min_length=1, max_length=200)],
        limit: Annotated[int, QueryParameter(ge=1, le=50)] = 20,
    ) -> SearchResults:
        """Search what the caller may read: `nghi quyet` finds «nghị quyết», `dang vien` finds «đảng viên»."""
        state = request.app.state
        return await search(state.db_pool, state.search_cache, reader_scope(request), q, limit=limit)
