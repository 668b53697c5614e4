"""Development on one machine: `make run`. DEBUG on, a generated secret key kept in var/."""

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)

VAR_DIR.mkdir(exist_ok=True)
_key_file = VAR_DIR / "secret_key"
if not SECRET_KEY:  # noqa: F405
    if not _key_file.exists():
        _key_file.write_text(get_random_secret_key())
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

SMS_BACKEND = env.str("SMS_BACKEND", default="muhim.core.sms.ConsoleBackend")

# Static files come straight from the finders (static/ and node_modules); collectstatic is for
# production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
