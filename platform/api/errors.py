"""One JSON error shape for the whole API: {"error": {"code", "message", "details"?}}."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DataError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from common.body_limit import describe_size, too_large_message
from common.errors import DomainError
from common.ratelimit import RateLimited

logger = logging.getLogger(__name__)


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    details: Any = None,
) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, {"error": body}, status=status)


def _validation_message(errors: list[dict[str, Any]]) -> str:
    if any(error.get("type") == "json_invalid" for error in errors):
        return (
            "The request body is not valid JSON. "
            "Send a JSON object with Content-Type: application/json."
        )
    fields = [".".join(str(part) for part in error.get("loc", ())[1:]) for error in errors]
    named = ", ".join(field for field in fields if field) or "the request"
    return f"Some fields are missing or invalid ({named}); see details and fix them."


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        response = error_response(
            api, request, status=exc.status, code=exc.code, message=exc.message
        )
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after_seconds)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [dict(error) for error in exc.errors]
        for error in errors:
            error.pop("ctx", None)
            error.pop("url", None)
        return error_response(
            api,
            request,
            status=422,
            code="invalid_input",
            message=_validation_message(errors),
            details=errors,
        )

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=401,
            code="unauthenticated",
            message="Log in (POST /api/v1/auth/login) or send 'Authorization: Bearer <token>'.",
        )

    # Django's own body limits (DATA_UPLOAD_*), met by callers that bypass the ASGI body
    # limit (common.body_limit), such as the test client, and by multipart fields.
    @api.exception_handler(RequestDataTooBig)
    def request_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(
            api,
            request,
            status=413,
            code="request_too_large",
            # Django counts everything but a multipart body's files against this limit.
            message=too_large_message(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE, upload=False),
        )

    @api.exception_handler(TooManyFieldsSent)
    def too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
        return error_response(
            api,
            request,
            status=400,
            code="too_many_fields",
            message=f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} "
            "fields (form fields or query parameters), the limit. Send fewer.",
        )

    @api.exception_handler(TooManyFilesSent)
    def too_many_files(request: HttpRequest, exc: TooManyFilesSent) -> HttpResponse:
        return error_response(
            api,
            request,
            status=413,
            code="too_many_files",
            message=f"The request carries more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES} "
            f"files, the limit for one upload (each up to "
            f"{describe_size(settings.MAX_UPLOAD_BYTES)}). Upload them in smaller batches.",
        )

    @api.exception_handler(RecursionError)
    def nested_too_deeply(request: HttpRequest, exc: RecursionError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=400,
            code="malformed_request",
            message="The request is nested too deeply to read. Send a flatter JSON object.",
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Django Ninja wraps whatever reading the JSON body raised; the cause says which.
        if isinstance(exc.__cause__, RequestDataTooBig):
            return request_too_large(request, exc.__cause__)
        if isinstance(exc.__cause__, RecursionError):
            return nested_too_deeply(request, exc.__cause__)
        if exc.status_code == 400:
            # Django Ninja raises this when the body is not parseable (broken JSON).
            return error_response(
                api,
                request,
                status=400,
                code="malformed_request",
                message="The request body is not valid JSON. Send a JSON object with "
                "Content-Type: application/json.",
            )
        return error_response(
            api, request, status=exc.status_code, code="http_error", message=str(exc.message)
        )

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # A value that passed validation but that Postgres cannot hold: a NUL character in
        # text, an integer past 64 bits (limit/offset), a date or offset out of its range.
        logger.warning("refused a value in %s %s: %s", request.method, request.path, exc)
        if transaction.get_connection().in_atomic_block:
            # The failed statement aborted the enclosing transaction (ATOMIC_REQUESTS).
            transaction.set_rollback(True)
        return error_response(
            api,
            request,
            status=422,
            code="invalid_input",
            message="A value in the request cannot be stored or searched: text with a NUL "
            "character, a number too large, or a date out of range. Fix it and try again.",
        )

    @api.exception_handler(MultiPartParserError)
    def malformed_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=400,
            code="malformed_request",
            message=f"The multipart body cannot be read ({exc}). Send the files as "
            "multipart/form-data and let the HTTP client set Content-Type with its boundary.",
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(
            api, request, status=404, code="not_found", message="Nothing is at this address."
        )

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled error in %s %s", request.method, request.path)
        return error_response(
            api,
            request,
            status=500,
            code="internal_error",
            message="Something went wrong on our side; it has been logged. Try again, and tell "
            "your operator if it keeps happening.",
        )
