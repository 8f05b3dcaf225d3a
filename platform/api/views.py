from django.http import HttpRequest, JsonResponse


def api_not_found(request: HttpRequest) -> JsonResponse:
    """Unknown paths under /api/ answer in the API's JSON error shape, not Django's HTML page."""
    return JsonResponse(
        {
            "error": {
                "code": "not_found",
                "message": f"No API endpoint at {request.path}. See /api/v1/docs for the list.",
            }
        },
        status=404,
    )
