"""Local development: `make run`."""

from .base import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=True)  # noqa: F405
# No collected static files here: the app directories are served as they are.
STATIC_ROOT = None
