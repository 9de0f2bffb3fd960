"""The OpenAPI document is complete, and schemathesis-generated requests never get a 5xx."""

from __future__ import annotations

from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given
from litestar import Litestar
from litestar.testing import TestClient

from api.app import create_app
from tests.servers import DEMO_PASSWORD, make_settings

REQUIRED_OPERATIONS = {
    "Login",
    "Logout",
    "GetMe",
    "ActivateAccount",
    "ListMySessions",
    "RevokeSession",
    "ImportMembers",
}
# Operations that end the fuzzing session's own sign-in run last, so the others run signed in.
SESSION_ENDING = ("ChangePassword", "RevokeOtherSessions", "Logout")
# A stream answers for as long as the client listens, and the test client waits for the whole answer:
# the live stream is tested against a real server (tests/test_live_updates.py) and in the matrix.
STREAMING = {"GetLiveUpdates"}


def _schema(app: Litestar) -> dict[str, Any]:
    return app.openapi_schema.to_schema()


def test_every_operation_has_an_id_and_the_required_ones_exist(app: Litestar) -> None:
    document = _schema(app)
    operations = [op for path in document["paths"].values() for op in path.values() if isinstance(op, dict)]
    ids = [op.get("operationId") for op in operations]
    assert all(ids), "every operation has an operationId"
    assert len(ids) == len(set(ids)), "operation ids are unique"
    assert set(ids) >= REQUIRED_OPERATIONS


def test_openapi_document_is_served(app: Litestar) -> None:
    with TestClient(app=app, base_url="https://testserver.local") as client:
        response = client.get("/api/openapi.json")
        assert response.status_code == 200
        assert response.json()["info"]["title"] == "ehandbook API"
        assert client.get("/api/docs").status_code == 200


@pytest.mark.slow
def test_generated_requests_never_get_a_server_error(database_url: str, redis_url: str) -> None:
    # Fuzzing Login from one address would trip the sign-in throttle and starve every later operation.
    app = create_app(make_settings(database_url, redis_url, login_address_limit=10**6, login_account_limit=10**6))
    schema = schemathesis.openapi.from_dict(_schema(app))
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [op for op in operations if op.definition.raw.get("operationId") not in STREAMING]
    operations.sort(key=lambda op: (op.definition.raw.get("operationId") in SESSION_ENDING, op.label))
    failures: list[str] = []
    requests_made = 0
    with TestClient(app=app, base_url="https://testserver.local") as client:
        for operation in operations:
            login = client.post(
                "/api/v1/auth/login", json={"login": "demo.admin", "password": DEMO_PASSWORD, "client": "bearer"}
            )
            headers = {"Authorization": f"Bearer {login.json()['token']}"}
            requests_made += _fuzz(operation, client, headers, failures)
    assert not failures, "\n".join(failures[:20])
    assert requests_made >= 10 * len(operations), "the fuzzer really exercised every operation"


def _fuzz(operation: Any, client: TestClient[Litestar], headers: dict[str, str], failures: list[str]) -> int:
    """Send generated requests for one operation; collect 5xx answers; return how many were sent."""
    sent = 0

    @given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=40, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def exercise(case: Any) -> None:
        nonlocal sent
        kwargs = case.as_transport_kwargs(base_url="https://testserver.local", headers=headers)
        request_headers = dict(kwargs.get("headers") or {})
        if kwargs.get("json") is not None:
            request_headers["content-type"] = "application/json"
        client.cookies.clear()
        for name, value in (kwargs.get("cookies") or {}).items():
            client.cookies.set(name, value)
        response = client.request(
            kwargs["method"], kwargs["url"], params=kwargs.get("params"), headers=request_headers, content=_body(kwargs)
        )
        sent += 1
        if response.status_code >= 500:
            failures.append(f"{kwargs['method']} {kwargs['url']} -> {response.status_code}: {response.text[:200]}")
        elif response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json"), (
                kwargs["url"],
                response.status_code,
            )

    exercise()
    return sent


def _body(kwargs: dict[str, Any]) -> bytes | None:
    import json  # noqa: PLC0415

    if "json" in kwargs and kwargs["json"] is not None:
        return json.dumps(kwargs["json"]).encode()
    data = kwargs.get("data")
    if isinstance(data, str):
        return data.encode()
    return data if isinstance(data, bytes) else None


def test_every_operation_documents_its_errors_as_problems(app: Litestar) -> None:
    document = _schema(app)
    assert document["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status", "detail"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = set(operation["responses"])
            assert {"4XX", "5XX"} <= codes, (method, path)
            assert not {code for code in codes if code[0] in "45" and code not in {"4XX", "5XX"}}, (method, path)
            content = operation["responses"]["4XX"]["content"]
            assert content["application/problem+json"]["schema"]["$ref"] == "#/components/schemas/Problem"
