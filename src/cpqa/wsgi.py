"""WSGI entry point for a production server (gunicorn, mod_wsgi).

It refuses to start without CPQA_SECRET_KEY: a key made up at start-up would differ in each
worker and at each restart, signing everyone out (and a built-in one would be public).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpqa.settings")
application = get_wsgi_application()

# The settings are read by the line above; the key is checked once they are.
from django.conf import settings

if not settings.SECRET_KEY_KEPT:
    raise SystemExit(
        "cpqa: CPQA_SECRET_KEY is not set. Put a long random key in the service's environment file "
        "(docs/deployment.md), for example the output of: python3 -c \"import secrets; print(secrets.token_urlsafe(50))\""
    )
