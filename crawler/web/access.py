"""Who may use the web view, and the headers every response carries.

- Bound to loopback by default. Any other address needs a secret: a
  password (HTTP Basic, any user name) or a bearer token, each read from
  the environment variable `[web] password_env` / `token_env` names; the
  server refuses to start without one.
- On loopback, the Host header must name loopback too: a page on another
  site cannot reach the view through DNS rebinding.
- Every response has a strict Content-Security-Policy (nothing but our own
  stylesheet; no script at all), no framing, no sniffing, no referrer
  leaving the site. Forms carry a CSRF token (double submit: a SameSite
  cookie and a hidden field that must match).
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from store.config import WebConfig

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}
CSRF_COOKIE = "cw_csrf"
LOOPBACK_NAMES = ("localhost",)


class AccessError(Exception):
    """The server must not start as configured; the message says what to set."""


@dataclass(frozen=True)
class Access:
    """The secrets a request must present (none: open, which only loopback allows)."""

    loopback: bool
    password: str | None = None
    token: str | None = None

    @property
    def required(self) -> bool:
        return bool(self.password or self.token)


def is_loopback(host: str) -> bool:
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def _secret(env: Mapping[str, str], variable: str, key: str) -> str | None:
    if not variable:
        return None
    value = env.get(variable, "")
    if not value:
        raise AccessError(f"web.{key} names the environment variable {variable}, which is not "
                          "set: set it, or clear the key.")
    return value


def resolve_access(web: WebConfig, host: str, env: Mapping[str, str]) -> Access:
    """The access rule for a bind address; AccessError when it would be open to others."""
    access = Access(loopback=is_loopback(host),
                    password=_secret(env, web.password_env, "password_env"),
                    token=_secret(env, web.token_env, "token_env"))
    if not access.loopback and not access.required:
        raise AccessError(f"--host {host} is not a loopback address, so the web view needs a "
                          "password: set [web] password_env (or token_env) to the name of an "
                          "environment variable holding it.")
    return access


def authorized(header: str | None, access: Access) -> bool:
    """Whether an Authorization header carries the password or the token."""
    if not access.required:
        return True
    if not header:
        return False
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer" and access.token:
        return hmac.compare_digest(value.strip().encode(), access.token.encode())
    if scheme == "basic" and access.password:
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
        _, _, password = decoded.partition(":")
        return hmac.compare_digest(password.encode(), access.password.encode())
    return False


def host_allowed(host_header: str | None, access: Access) -> bool:
    """On loopback only loopback Host names are served (no DNS rebinding)."""
    if not access.loopback:
        return True
    if not host_header:
        return False
    host = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
    if host_header.startswith("[") and "]" in host_header:
        host = host_header[: host_header.index("]") + 1]
    return is_loopback(host)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(cookie: str | None, field: str | None) -> bool:
    if not cookie or not field or len(cookie) < 20:
        return False
    return hmac.compare_digest(cookie.encode(), field.encode())


class AccessMiddleware:
    """Refuses unauthorised requests and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                raw += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": raw}
            await send(message)

        if not host_allowed(headers.get("host"), self.access):
            await PlainTextResponse("This address is served on loopback only.",
                                    status_code=421)(scope, receive, send_with_headers)
            return
        if not authorized(headers.get("authorization"), self.access):
            await PlainTextResponse(
                "Log in with the web view's password.", status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="compoundwatch", charset="UTF-8"'},
            )(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
