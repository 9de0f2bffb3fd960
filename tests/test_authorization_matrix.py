"""One authorization matrix: every route x role x in-scope / out-of-scope -> expected status.

"In scope" targets live in the demo branch and its commune; "out of scope" targets in another
commune. Commune-level roles must answer 404 there (never 403: nobody may probe what exists),
while the province admin reaches both. The rows live in tests/authz/, one module per domain; a
route of the app without a row there fails the suite.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

import tests.authz
from api.settings import Settings
from tests.authz.world import ROLES, Request, build_world, check


def _collect() -> tuple[dict[str, dict[str, tuple[int | str, ...]]], dict[str, Request]]:
    matrix: dict[str, dict[str, tuple[int | str, ...]]] = {}
    requests: dict[str, Request] = {}
    for module_info in pkgutil.iter_modules(tests.authz.__path__):
        if module_info.name == "world":
            continue
        module = importlib.import_module(f"tests.authz.{module_info.name}")
        assert not set(module.MATRIX) & set(matrix), f"rows defined twice ({module_info.name})"
        matrix |= module.MATRIX
        requests |= module.REQUESTS
    return matrix, requests


MATRIX, REQUESTS = _collect()


def route_keys(app: Litestar) -> set[str]:
    """Every route the app serves, by operation id (or method and path where it has none)."""
    keys = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"}:
                continue  # Litestar's automatic CORS preflight answers
            operation = handler.operation_id
            for method in sorted(handler.http_methods):
                keys.add(operation if isinstance(operation, str) else f"{method} {route.path}")
    return keys


def test_every_route_has_rows_in_the_matrix(app: Litestar) -> None:
    served = route_keys(app)
    assert served - set(MATRIX) == set(), "routes without rows in the authorization matrix"
    assert set(MATRIX) - served == set(), "matrix rows for routes that no longer exist"
    assert set(MATRIX) == set(REQUESTS)


@pytest.mark.parametrize("operation", sorted(MATRIX))
async def test_authorization(
    operation: str, client: AsyncTestClient[Litestar], database_url: str, settings: Settings
) -> None:
    world = await build_world(client, database_url, settings)
    failures = []
    for scope, expectations in MATRIX[operation].items():
        for role, expected in zip(ROLES, expectations, strict=True):
            response = await REQUESTS[operation](world, role, scope)
            try:
                check(expected, response)
            except AssertionError as error:
                failures.append(f"{operation} as {role} ({scope} scope): {error}")
    assert not failures, "\n".join(failures)
