"""The search tests' own worker parts: pool, invalidation listener, result cache and in-memory index."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.search.indexed import Live, live_search


@pytest.fixture
async def live(database_url: str) -> AsyncIterator[Live]:
    """Search parts built as the app builds them, listening (so the index builds in the background)."""
    async with live_search(database_url) as parts:
        await parts.listener.start()
        yield parts
