"""What every SSO browser route answers on failure: a redirect to the login page with the
error's code (the page shows its message), never a 500 or a stack trace."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.http import HttpResponseRedirect

from sso.errors import SsoError

logger = logging.getLogger(__name__)


def login_redirect_with_error(error: SsoError) -> HttpResponseRedirect:
    logger.info("sso sign-in refused: %s", error.code)
    return HttpResponseRedirect("/login?" + urlencode({"sso_error": error.code}))
