"""Security headers and a request body limit, applied to every response.

A plain ASGI middleware (not Starlette's BaseHTTPMiddleware) so that it adds
no per-request task overhead. The content security policy allows nothing but
the app's own origin; ``'unsafe-eval'`` is needed because Vega compiles its
expression language to JavaScript functions at run time.
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

_BODY_METHODS = {"POST", "PUT", "PATCH"}
log = logging.getLogger(__name__)


class SecurityMiddleware:
    """Adds :data:`HEADERS`; refuses bodies over ``max_body`` bytes (413) or of unknown
    length (411), before the app reads them; answers an unexpected exception with a JSON
    500 carrying the headers (Starlette's own handler, outside this middleware, would
    answer text/plain without them)."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await self._reject(send, *refusal)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unexpected error answering %s %s", scope["method"], scope["path"])
            if started:  # too late for a status: the client sees a cut-off response
                raise
            await self._reject(send, 500, "internal error: the server's log has the details")

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit():
                return 400, "malformed Content-Length header"
            if int(length) > self.max_body:
                return 413, f"request body over the limit of {self.max_body} bytes"
        elif scope["method"] in _BODY_METHODS and b"transfer-encoding" in headers:
            return 411, "send a Content-Length header with a request body"
        return None

    async def _reject(self, send: Send, status: int, message: str) -> None:
        body = json.dumps({"message": message, "status": status}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
