"""The public webhook endpoint: /webhooks/<kind>/<connection id>. No session or token:
each delivery is authenticated by its source's signature."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from common.body_limit import too_large_body
from common.errors import DomainError
from connections.webhooks import receive_webhook


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, kind: str, connection_id: int) -> JsonResponse:
    try:
        body = request.body
    except RequestDataTooBig:
        return JsonResponse(too_large_body(), status=413)
    try:
        outcome = receive_webhook(
            kind=kind, connection_id=connection_id, headers=request.headers, body=body
        )
    except DomainError as error:
        return JsonResponse(
            {"error": {"code": error.code, "message": error.message}}, status=error.status
        )
    return JsonResponse(dict(outcome.body), status=outcome.status)
