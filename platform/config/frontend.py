"""Serves the built React app (frontend/dist) for every non-API path, so client routes work."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie

NOT_BUILT = """<!doctype html><html><head><title>Company agents</title></head><body>
<h1>The web app is not built yet</h1>
<p>Run <code>./scripts/start</code> (it builds the frontend), or
<code>npm --prefix frontend ci && npm --prefix frontend run build</code>.</p>
<p>The API is up: <a href="/api/v1/docs">/api/v1/docs</a>.</p></body></html>"""


@ensure_csrf_cookie
def frontend_index(request: HttpRequest) -> HttpResponse:
    dist: Path = settings.FRONTEND_DIST
    requested = (dist / request.path.lstrip("/")).resolve()
    if request.path != "/" and requested.is_file() and dist.resolve() in requested.parents:
        content_type, _ = mimetypes.guess_type(str(requested))
        # Whole bytes, not FileResponse: under ASGI Django would buffer a file iterator anyway
        # (with a warning per request), and the built assets are small.
        response = HttpResponse(requested.read_bytes(), content_type=content_type)
        if "/assets/" in request.path:
            # Vite fingerprints asset names, so they can be cached forever.
            response["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
    index = dist / "index.html"
    if not index.exists():
        return HttpResponse(NOT_BUILT, status=200)
    return HttpResponse(index.read_bytes(), content_type="text/html")


def static_file(request: HttpRequest, path: str) -> HttpResponse:
    """Files of installed apps under /static/ (the API docs' Swagger UI), found in place by
    the staticfiles finders, so no collectstatic step is needed and DEBUG stays off."""
    found = finders.find(path)
    if not isinstance(found, str) or not Path(found).is_file():
        raise Http404(path)
    content_type, _ = mimetypes.guess_type(found)
    response = HttpResponse(Path(found).read_bytes(), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
