"""Make the OpenAPI document tell the truth about errors: every one is an RFC 9457 problem.

Litestar documents its own `{status_code, detail, extra}` shape for 400s; clients generating types
from the document (the PWA does) must see the problem+json we actually send instead.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Reference, Schema

from api.errors import PROBLEM_MEDIA_TYPE

_PROBLEM = Schema(
    type=OpenAPIType.OBJECT,
    description="An RFC 9457 problem: a stable `type` URI, a fixed `title`, this occurrence's `detail`.",
    required=["type", "title", "status", "detail"],
    properties={
        "type": Schema(type=OpenAPIType.STRING),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "instance": Schema(type=OpenAPIType.STRING),
        "errors": Schema(
            type=OpenAPIType.ARRAY,
            items=Schema(
                type=OpenAPIType.OBJECT,
                required=["field", "message"],
                properties={"field": Schema(type=OpenAPIType.STRING), "message": Schema(type=OpenAPIType.STRING)},
            ),
        ),
    },
)


def describe_problems(app: Litestar) -> None:
    """Replace every documented error answer with the Problem schema, and add 4XX/5XX to each operation."""
    document = app.openapi_schema
    if document.components.schemas is not None:
        document.components.schemas["Problem"] = _PROBLEM
    problem = {PROBLEM_MEDIA_TYPE: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))}
    for path in (document.paths or {}).values():
        for operation in (path.get, path.put, path.post, path.delete, path.patch):
            if operation is None or operation.responses is None:
                continue
            responses = {
                code: answer for code, answer in operation.responses.items() if not code.startswith(("4", "5"))
            }
            responses["4XX"] = OpenAPIResponse(
                description="The request was refused; the problem says why.", content=problem
            )
            responses["5XX"] = OpenAPIResponse(description="Something failed on our side.", content=problem)
            operation.responses = responses
