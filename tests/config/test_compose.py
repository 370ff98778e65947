"""docker compose cannot run here, so its file is checked against the code."""

import importlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_has_every_service_with_a_health_check():
    services = compose()["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    for name in ["db", "redis", "web", "worker", "beat"]:
        assert "test" in services[name]["healthcheck"], name
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")


def test_app_services_wait_for_healthy_database_and_broker():
    services = compose()["services"]
    for name in ["web", "worker", "beat"]:
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_redis_is_durable_and_never_evicts():
    command = " ".join(compose()["services"]["redis"]["command"])
    assert "--appendonly yes" in command
    assert "--maxmemory-policy noeviction" in command


def test_commands_name_modules_that_exist():
    services = compose()["services"]
    wsgi_module, wsgi_attr = services["web"]["command"][1].split(":")
    assert hasattr(importlib.import_module(wsgi_module), wsgi_attr)
    for name in ["worker", "beat"]:
        command = services[name]["command"]
        assert command[:3] == ["celery", "-A", "config"]
    assert hasattr(importlib.import_module("config"), "celery_app")
    settings_module = services["web"]["environment"]["DJANGO_SETTINGS_MODULE"]
    assert (ROOT / (settings_module.replace(".", "/") + ".py")).exists()


def test_the_env_example_sets_what_production_requires():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    for variable in ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]:
        assert f"\n{variable}=" in text
    assert (ROOT / "Dockerfile").exists()


def test_gunicorn_refuses_oversized_request_lines_and_headers_in_compose_and_the_image():
    from pathlib import Path

    web = compose()["services"]["web"]["command"]
    image = Path(ROOT / "Dockerfile").read_text(encoding="utf-8")
    for flag in ["--limit-request-line", "--limit-request-fields", "--limit-request-field_size"]:
        assert flag in web, flag
        assert flag in image, flag


def test_the_cache_can_be_a_redis_of_its_own_that_the_site_does_not_wait_for():
    services = compose()["services"]
    command = " ".join(services["cache"]["command"])
    assert "--maxmemory-policy allkeys-lru" in command
    assert "--appendonly no" in command
    assert "test" in services["cache"]["healthcheck"]
    for name in ["web", "worker", "beat"]:
        assert services[name]["depends_on"]["cache"]["condition"] == "service_started", name
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert "\nCACHE_URL=redis://cache:6379/0" in text
    assert "\nALLAUTH_TRUSTED_PROXY_COUNT=" in text
