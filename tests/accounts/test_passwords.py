"""Passwords: Argon2id at OWASP's parameters first in production, and older hashes upgraded when their owner signs in.

The suite itself hashes with MD5 for speed (config.settings.test); these
tests read production's list from a production process and use it.
"""

import json
import os
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.test import Client
from django.urls import reverse

from tests.config.test_production_settings import ROOT, env_example
from tests.factories.accounts import make_user

PASSWORD = "Long-enough-passphrase-77"


@pytest.fixture(scope="module")
def production_passwords() -> dict:
    script = (
        "import json,django;django.setup();from django.conf import settings;"
        "from django.contrib.auth.hashers import make_password;"
        "print(json.dumps({'hashers': settings.PASSWORD_HASHERS, 'hash': make_password('x')}))"
    )
    env = {**os.environ, **env_example(), "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_hashes_new_passwords_with_argon2id_at_owasps_parameters(production_passwords):
    assert production_passwords["hashers"][0] == "accounts.hashers.OwaspArgon2PasswordHasher"
    # OWASP's Password Storage Cheat Sheet: Argon2id, at least 19 MiB, two passes, one lane.
    assert production_passwords["hash"].startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    # Hashes made before stay readable, so that they can be upgraded.
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in production_passwords["hashers"]


@pytest.mark.django_db
def test_a_pbkdf2_password_is_rehashed_with_argon2_when_its_owner_signs_in(settings, production_passwords):
    settings.PASSWORD_HASHERS = production_passwords["hashers"]
    person = make_user(email="old-hash@example.com")
    person.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    person.save(update_fields=["password"])

    response = Client().post(reverse("account_login"), {"login": person.email, "password": PASSWORD})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.password.startswith("argon2$")
    assert person.check_password(PASSWORD)
    again = Client().post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert again.status_code == 302


@pytest.mark.django_db
def test_a_hash_made_with_djangos_argon2_defaults_is_rehashed_at_owasps_parameters_at_sign_in(
    settings, production_passwords
):
    settings.PASSWORD_HASHERS = production_passwords["hashers"]
    person = make_user(email="heavy-hash@example.com")
    # What every account had before: Django's defaults (100 MiB, eight lanes).
    person.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    person.save(update_fields=["password"])
    assert "$m=102400,t=2,p=8$" in person.password

    response = Client().post(reverse("account_login"), {"login": person.email, "password": PASSWORD})

    assert response.status_code == 302
    person.refresh_from_db()
    assert "$m=19456,t=2,p=1$" in person.password
    assert identify_hasher(person.password).must_update(person.password) is False
    assert Client().post(reverse("account_login"), {"login": person.email, "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_leaves_the_stored_hash_as_it_was(settings, production_passwords):
    settings.PASSWORD_HASHERS = production_passwords["hashers"]
    person = make_user(email="wrong-password@example.com")
    person.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    person.save(update_fields=["password"])
    stored = person.password

    response = Client().post(reverse("account_login"), {"login": person.email, "password": PASSWORD + "x"})

    assert response.status_code == 200
    person.refresh_from_db()
    assert person.password == stored
