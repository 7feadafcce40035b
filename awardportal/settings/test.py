"""Test settings: fast hashing, in-memory mail, private media in a temp folder.

DATABASE_URL and REDIS_URL are honoured, so CI runs the suite on Postgres; the
integration tests start their own Celery worker against Redis.
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["default"] = {  # noqa: F405 - tests use local files (tests/test_storage.py: S3)
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": tempfile.mkdtemp(prefix="gza-test-media-")},
}
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]  # noqa: F405
# Tests run tasks in-process unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
ACCOUNT_RATE_LIMITS = False
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
if not USES_POSTGRES:  # noqa: F405
    # A file, not shared-cache memory: the live server's threads and a worker process
    # then share the test database with normal SQLite locking (which waits).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"gza-test-{os.getpid()}.sqlite3")
    }
# No collected static files here: the app directories are served as they are.
STATIC_ROOT = None
