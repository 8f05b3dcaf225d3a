import os

from django.core.asgi import get_asgi_application

from common.body_limit import BodyLimitMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Bodies are bounded before Django reads them: its ASGI handler reads a whole body (to disk
# if need be) before any view or setting could refuse it.
application = BodyLimitMiddleware(get_asgi_application())
