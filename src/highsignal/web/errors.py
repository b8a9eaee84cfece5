"""Error responses that name the problem: a page for browsers, ``{"error", "status"}`` for the API.

Highsignal's own errors already carry a message naming the input and what
went wrong (``no item with id 42``); those are shown as they are, with a
status that fits (404 for something missing, 400 for a bad input, 500 for a
broken config file). Anything unexpected is a 500 that still says what
happened, since the reader runs this server for themselves.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from highsignal.config import ConfigError
from highsignal.errors import HighsignalError, ItemNotFoundError, SourceNotFoundError, StorageError

log = logging.getLogger(__name__)

TITLES = {
    400: "That request did not work",
    401: "Sign in required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    413: "Too large",
    422: "Invalid request",
    500: "Something went wrong",
}
HINTS = {
    403: "Forms carry a token tied to your session. Reload the page and try again.",
    404: "The item or source may have been removed, or the link is mistyped.",
}


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path == "/feed.atom":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)
    web = getattr(request.app.state, "web", None)
    if web is None or not hasattr(request.state, "csrf"):
        return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)
    response = web.page(
        request,
        "error.html.j2",
        status=status,
        page="error",
        status_code=status,
        title=TITLES.get(status, "Error"),
        message=message,
        hint=HINTS.get(status),
    )
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def _status_of(exc: HighsignalError) -> int:
    if isinstance(exc, ItemNotFoundError | SourceNotFoundError):
        return 404
    if isinstance(exc, ConfigError | StorageError):
        return 500
    return 400


def install(app: FastAPI) -> None:
    @app.exception_handler(HighsignalError)
    async def _highsignal(request: Request, exc: HighsignalError) -> Response:
        status = _status_of(exc)
        message = str(exc)
        if isinstance(exc, ConfigError):
            message = f"your config file has a problem: {message}"
        return error_response(request, status, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "error")
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no page at {request.url.path}"
        if exc.status_code == 405 and detail == "Method Not Allowed":
            detail = f"{request.method} is not allowed on {request.url.path}"
        return error_response(request, exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(part) for part in err.get("loc", ()) if part not in ("body", "query", "path"))
            problems.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
        status = 404 if any(e.get("loc", ("",))[0] == "path" for e in exc.errors()) else 422
        return error_response(request, status, "invalid request: " + "; ".join(problems))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, 500, f"internal error: {type(exc).__name__}: {exc}")
