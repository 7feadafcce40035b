"""Django's email settings from one ``EMAIL_URL`` (read by django-environ).

Every key django-environ returns is kept: the backend, host, port, user, password,
``EMAIL_USE_TLS``/``EMAIL_USE_SSL`` (``smtp+tls://``, ``smtps://``, ``smtp+ssl://`` or
``?use_tls=1``), the folder of ``filemail:///srv/mail`` (absolute: ``/srv/mail``), and the query-string options
(``?timeout=10`` becomes ``EMAIL_TIMEOUT``, ``?ssl_certfile=...`` ``EMAIL_SSL_CERTFILE``).
Schemes: smtp, smtps, smtp+tls, smtp+ssl, consolemail, filemail, memorymail, dummymail.
"""

from urllib.parse import unquote, urlsplit

import environ


def email_settings(url: str) -> dict:
    """The ``EMAIL_*`` settings ``url`` names (empty values left to Django's defaults)."""
    config = environ.Env.email_url_config(url)
    options = config.pop("OPTIONS", {}) or {}
    settings = {key: value for key, value in config.items() if value not in ("", None)}
    settings.update({f"EMAIL_{key}": value for key, value in options.items()})
    parts = urlsplit(url)
    if parts.scheme == "filemail" and parts.path:
        # django-environ drops the leading "/" (as for a database name): filemail:///srv/mail
        # names the absolute folder /srv/mail, as it reads.
        settings["EMAIL_FILE_PATH"] = unquote(parts.path)
    for flag in ("EMAIL_USE_TLS", "EMAIL_USE_SSL"):
        if flag in settings:
            settings[flag] = bool(settings[flag])
    return settings
