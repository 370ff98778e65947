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
