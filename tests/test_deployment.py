"""The deployment files: checked by parsing them, since no Docker engine runs here."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_the_full_stack_with_healthchecks():
    services = _compose()["services"]
    assert sorted(services) == ["beat", "db", "redis", "web", "worker"]
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no healthcheck"
        assert service["healthcheck"]["test"], name


def test_compose_app_services_share_settings_and_wait_for_healthy_backends():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert env["DJANGO_SETTINGS_MODULE"] == "awardportal.settings.production"
        assert service["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
    assert "gunicorn awardportal.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "awardportal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "awardportal", "beat"]


def test_compose_keeps_data_in_named_volumes():
    compose = _compose()
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "media"}
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "media:/app/media" in compose["services"]["web"]["volumes"]


def _requirements(name):
    return [
        line.strip()
        for line in (ROOT / name).read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_requirements_are_pinned_exactly():
    runtime = _requirements("requirements.txt")
    dev = _requirements("requirements-dev.txt")
    assert runtime, "requirements.txt is empty"
    pins = runtime + dev[1:]
    assert all("==" in line for line in pins), [line for line in pins if "==" not in line]


def test_compose_refuses_to_start_without_a_secret_and_defaults_to_secure_cookies():
    env = _compose()["x-app"]["environment"]
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert env["SECURE_COOKIES"] == "${SECURE_COOKIES:-true}"
    example = (ROOT / ".env.example").read_text().splitlines()
    assert "SECRET_KEY=" in example  # empty: compose refuses until one is set


def test_runtime_requirements_hold_no_test_tools_and_dev_requirements_include_them():
    names = {line.split("==")[0].lower() for line in _requirements("requirements.txt")}
    dev = _requirements("requirements-dev.txt")
    tools = {"pytest", "pytest-django", "playwright", "hypothesis", "ruff", "factory_boy"}
    assert names & tools == set()
    assert dev[0] == "-r requirements.txt"
    assert tools <= {line.split("==")[0].lower() for line in dev[1:]}


def test_image_installs_runtime_requirements_and_make_installs_development_ones():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.txt" in dockerfile
    assert "requirements-dev" not in dockerfile
    makefile = (ROOT / "Makefile").read_text()
    assert "$(VENV)/.installed: requirements.txt requirements-dev.txt" in makefile
    assert "pip install --quiet -r requirements-dev.txt" in makefile


def _production(*command, **extra_env):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "awardportal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_production_collectstatic_succeeds(tmp_path):
    result = _production("collectstatic", "--noinput", STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()


def test_production_settings_pass_the_deployment_checks_as_they_stand():
    result = _production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr[-2000:]


def test_ci_builds_the_production_static_files_and_checks_before_testing():
    script = (ROOT / ".ci" / "run").read_text()
    assert script.index("collectstatic --noinput") < script.index("make test")
    assert script.index("check --deploy --fail-level WARNING") < script.index("make test")


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("database_url", "kept"),
    [
        ("postgres://portal@db.example.org:5432/portal", "60"),
        ("sqlite:////tmp/portal.sqlite3", "0"),
    ],
)
def test_connections_to_a_database_server_are_reused_and_sqlites_are_not(database_url, kept):
    printed = "from django.db import connections; print(connections['default'].settings_dict['CONN_MAX_AGE'])"
    result = _production("shell", "-c", printed, DATABASE_URL=database_url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-1] == kept
