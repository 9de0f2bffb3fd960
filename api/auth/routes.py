"""Sign-in, activation, the caller's own account and sessions."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import Cookie, State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from api.auth.guards import ACCESS, current_principal, signed_in
from api.auth.middleware import CSRF_COOKIE, SESSION_COOKIE, SESSIONLESS
from api.auth.schemas import (
    ActivateRequest,
    ChangePasswordRequest,
    LoginRequest,
    Me,
    RevokedCount,
    SessionView,
    SignedIn,
)
from api.auth.service import AuthService
from api.context import app_settings, request_context
from api.deps import AppSettings, Conn, UuidPath
from api.settings import Settings
from api.transaction import NO_TRANSACTION


async def provide_auth_service(conn: Conn, request: Request[Any, Any, Any], state: State) -> AuthService:
    return AuthService(
        conn,
        request_context(request),
        passwords=state.passwords,
        sessions=state.sessions,
        throttles=state.login_throttles,
        secret_key=app_settings(request).secret_key.reveal(),
    )


def _signed_in_response(result: SignedIn, settings: Settings, client_kind: str) -> Response[SignedIn]:
    """The PWA gets an HttpOnly session cookie and a readable CSRF cookie; an API client gets the token."""
    no_store = {"Cache-Control": "no-store"}
    if client_kind == "bearer" or result.token is None or result.me.csrf_token is None:
        return Response(result, status_code=HTTP_200_OK, headers=no_store)
    max_age = settings.session_days * 86_400
    cookies = [
        Cookie(
            key=SESSION_COOKIE,
            value=result.token,
            max_age=max_age,
            path="/",
            httponly=True,
            secure=settings.secure_cookies,
            samesite="lax",
        ),
        Cookie(
            key=CSRF_COOKIE,
            value=result.me.csrf_token,
            max_age=max_age,
            path="/",
            httponly=False,
            secure=settings.secure_cookies,
            samesite="lax",
        ),
    ]
    # The token never reaches page scripts: it lives only in the HttpOnly cookie.
    body = SignedIn(me=result.me, session_id=result.session_id, token=None)
    return Response(body, status_code=HTTP_200_OK, cookies=cookies, headers=no_store)


class AuthController(Controller):
    path = "/api/v1"
    tags = ["auth"]
    dependencies = {"auth": Provide(provide_auth_service)}

    @post("/auth/login", operation_id="Login", status_code=HTTP_200_OK, opt={SESSIONLESS: True})
    async def login(
        self, data: JSONBody[LoginRequest], auth: NamedDependency[AuthService], settings: AppSettings
    ) -> Response[SignedIn]:
        """Sign in with card number, phone or username and a password."""
        result = await auth.login(data.login, data.password, client_kind=data.client)
        return _signed_in_response(result, settings, data.client)

    @post("/auth/activate", operation_id="ActivateAccount", status_code=HTTP_200_OK, opt={SESSIONLESS: True})
    async def activate(
        self, data: JSONBody[ActivateRequest], auth: NamedDependency[AuthService], settings: AppSettings
    ) -> Response[SignedIn]:
        """First sign-in with the card number and the one-time code from the branch secretary."""
        result = await auth.activate(data.card_number, data.code, data.password, client_kind=data.client)
        return _signed_in_response(result, settings, data.client)

    @post("/auth/logout", operation_id="Logout", opt={ACCESS: signed_in}, status_code=HTTP_204_NO_CONTENT)
    async def logout(self, request: Request[Any, Any, Any], auth: NamedDependency[AuthService]) -> Response[None]:
        """End this session and clear its cookies."""
        await auth.logout(current_principal(request))
        response: Response[None] = Response(None, status_code=HTTP_204_NO_CONTENT)
        response.delete_cookie(SESSION_COOKIE, path="/")
        response.delete_cookie(CSRF_COOKIE, path="/")
        return response

    @get("/me", operation_id="GetMe", cache_control=None, opt={ACCESS: signed_in, NO_TRANSACTION: True})
    async def get_me(self, request: Request[Any, Any, Any], auth: NamedDependency[AuthService]) -> Response[Me]:
        """The signed-in account, its member record, roles and CSRF token."""
        me = await auth.me(current_principal(request), request_context(request).token_digest)
        return Response(me, headers={"Cache-Control": "private, no-store"})

    @post("/me/password", operation_id="ChangePassword", opt={ACCESS: signed_in}, status_code=HTTP_200_OK)
    async def change_password(
        self, request: Request[Any, Any, Any], data: JSONBody[ChangePasswordRequest], auth: NamedDependency[AuthService]
    ) -> RevokedCount:
        """Change the password; every other session ends."""
        revoked = await auth.change_password(current_principal(request), data.current_password, data.new_password)
        return RevokedCount(revoked=revoked)

    @get("/me/sessions", operation_id="ListMySessions", opt={ACCESS: signed_in})
    async def list_sessions(
        self, request: Request[Any, Any, Any], auth: NamedDependency[AuthService]
    ) -> list[SessionView]:
        """Where this account is signed in."""
        return await auth.list_sessions(current_principal(request))

    @delete("/me/sessions/{session_id:uuid}", operation_id="RevokeSession", opt={ACCESS: signed_in})
    async def revoke_session(
        self, request: Request[Any, Any, Any], session_id: UuidPath, auth: NamedDependency[AuthService]
    ) -> None:
        """Sign out one device."""
        await auth.revoke(current_principal(request), session_id)

    @post(
        "/me/sessions/revoke-others",
        operation_id="RevokeOtherSessions",
        opt={ACCESS: signed_in},
        status_code=HTTP_200_OK,
    )
    async def revoke_others(self, request: Request[Any, Any, Any], auth: NamedDependency[AuthService]) -> RevokedCount:
        """Sign out every other device."""
        return RevokedCount(revoked=await auth.revoke_others(current_principal(request)))
