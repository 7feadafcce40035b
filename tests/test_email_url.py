"""EMAIL_URL: every scheme django-environ supports gives settings that send."""

import pytest
from django.core import mail
from django.core.mail import get_connection
from django.core.mail.backends import console, dummy, filebased, locmem, smtp
from django.test import override_settings

from awardportal.email_url import email_settings

DJANGO_DEFAULTS = {"EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False}


def _connection(url):
    with override_settings(**{**DJANGO_DEFAULTS, **email_settings(url)}):
        return get_connection()


@pytest.mark.parametrize(
    ("url", "host", "port", "tls", "ssl"),
    [
        ("smtp://mailer:secret@smtp.example.org:25", "smtp.example.org", 25, False, False),
        ("smtps://mailer:secret@smtp.example.org:587", "smtp.example.org", 587, True, False),
        ("smtp+tls://mailer:secret@smtp.example.org:587", "smtp.example.org", 587, True, False),
        ("smtp+ssl://mailer:secret@smtp.example.org:465", "smtp.example.org", 465, False, True),
    ],
)
def test_email_url_smtp_schemes_set_host_port_login_and_encryption(url, host, port, tls, ssl):
    connection = _connection(url + "?timeout=7")

    assert isinstance(connection, smtp.EmailBackend)
    assert (connection.host, connection.port, connection.use_tls, connection.use_ssl) == (
        host,
        port,
        tls,
        ssl,
    )
    assert (connection.username, connection.password, connection.timeout) == (
        "mailer",
        "secret",
        7,
    )


def test_email_url_smtp_query_string_can_ask_for_starttls():
    connection = _connection("smtp://smtp.example.org:587?use_tls=1")

    assert (connection.port, connection.use_tls, connection.use_ssl) == (587, True, False)


def test_email_url_filemail_writes_into_the_folder(tmp_path):
    folder = tmp_path / "outbox"
    connection = _connection(f"filemail://{folder}")

    assert isinstance(connection, filebased.EmailBackend)
    sent = mail.EmailMessage("Hello", "Body", "from@example.org", ["to@example.org"]).send
    with override_settings(**email_settings(f"filemail://{folder}")):
        assert sent() == 1
    [written] = folder.iterdir()
    assert "Subject: Hello" in written.read_text()


def test_email_url_consolemail_prints_the_message(capsys):
    connection = _connection("consolemail://")

    assert isinstance(connection, console.EmailBackend)
    message = mail.EmailMessage("Hello", "Body", "from@example.org", ["to@example.org"])
    assert connection.send_messages([message]) == 1
    assert "Subject: Hello" in capsys.readouterr().out


def test_email_url_memorymail_keeps_the_message_in_the_outbox():
    connection = _connection("memorymail://")

    assert isinstance(connection, locmem.EmailBackend)
    message = mail.EmailMessage("Hello", "Body", "from@example.org", ["to@example.org"])
    assert connection.send_messages([message]) == 1
    assert mail.outbox[-1].subject == "Hello"


def test_email_url_dummymail_sends_nothing():
    connection = _connection("dummymail://")

    assert isinstance(connection, dummy.EmailBackend)
    message = mail.EmailMessage("Hello", "Body", "from@example.org", ["to@example.org"])
    assert connection.send_messages([message]) == 1


def test_settings_read_email_url_from_the_environment(tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "mails"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)",
        ],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "awardportal.settings.local",
            "EMAIL_URL": f"filemail://{folder}",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [
        "django.core.mail.backends.filebased.EmailBackend",
        str(folder),
    ]
