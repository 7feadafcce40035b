"""The deployment files: checked by parsing them, since no Docker engine runs here."""

from pathlib import Path

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


def test_requirements_are_pinned_exactly():
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines, "requirements.txt is empty"
    assert all("==" in line for line in lines), [line for line in lines if "==" not in line]


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
