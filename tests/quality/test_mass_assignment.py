"""A trainee or mentor posting fields a form does not offer changes nothing more than the form itself.

Every form on every page the role may open is posted twice as rendered
(what the browser sends when the person changes nothing) and then once
more with fields the form does not offer: `mentor=`, `cohort=`, `hours=`,
`status=`, `user=`, `is_staff=` and friends, pointing at the other cohort
or at staff. The change the third post makes to the database must be the
same change the second one made.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone

from .conftest import readable_pages, sign_in_as
from .forms import forms_on, page_text

pytestmark = pytest.mark.django_db

APPS = ("accounts", "training", "mentorship", "contests", "notifications", "cms", "account", "mfa", "auth")


def injected(world) -> dict[str, str]:
    return {
        "mentor": str(world.other_mentor.pk),
        "mentor_id": str(world.other_mentor.pk),
        "trainee": str(world.other_trainee.pk),
        "cohort": str(world.other_cohort.pk),
        "cohort_id": str(world.other_cohort.pk),
        "user": str(world.staff.pk),
        "user_id": str(world.staff.pk),
        "recipient": str(world.other_trainee.pk),
        "owner": str(world.staff.pk),
        "hours": "999",
        "credited_hours": "999",
        "status": "completed",
        "role": "coordinator",
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "on",
        "verified": "on",
        "confirmed": "on",
        "region": str(world.region_a.pk),
        "email": "attacker@example.com",
        "groups": "1",
    }


# Fields filled with a fresh random value on every write (feed tokens, codes): compared as "<random>".
RANDOM_SECRETS = {"token", "code", "secret"}


def snapshot() -> dict[str, dict]:
    """Every row of our apps and the account tables, without timestamps that move on their own."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model._meta.proxy:
            continue
        moving = {
            f.attname
            for f in model._meta.concrete_fields
            if (isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)) or f.name == "last_login"
        }
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in moving]
        state[model._meta.label] = {row["pk_"]: row for row in model.objects.values(*fields, pk_=models.F("pk"))}
    return state


def change(before: dict, after: dict) -> dict:
    """What changed. New rows are compared by content: their own ids, references to other new rows
    (also inside strings such as idempotency keys) and server clock readings are left out."""
    now = timezone.now()
    new_pks = {label: {pk for pk in rows if pk not in before.get(label, {})} for label, rows in after.items()}
    every_new_pk = {str(pk) for pks in new_pks.values() for pk in pks}
    new_number = (
        re.compile(r"\b(" + "|".join(sorted(every_new_pk, key=len, reverse=True)) + r")\b") if every_new_pk else None
    )

    def normalised(label: str, row: dict) -> str:
        model = apps.get_model(label)
        targets = {f.attname: f.related_model._meta.label for f in model._meta.concrete_fields if f.is_relation}
        clean = {}
        for name, value in row.items():
            if name in ("pk_", "id"):
                continue
            if name in targets and value in new_pks.get(targets[name], ()):
                value = "<new row>"
            elif isinstance(value, datetime.datetime) and abs(value - now) < datetime.timedelta(minutes=10):
                value = "<now>"
            elif name in RANDOM_SECRETS and isinstance(value, str):
                value = "<random>"
            elif isinstance(value, str) and new_number:
                value = new_number.sub("<new id>", value)
            elif isinstance(value, int) and not isinstance(value, bool) and str(value) in every_new_pk:
                value = "<new id>"  # a generic relation's object id
            clean[name] = value
        return repr(clean)

    diff = {}
    for label, rows in after.items():
        old = before.get(label, {})
        added = sorted(normalised(label, row) for pk, row in rows.items() if pk not in old)
        changed = {pk: {k: v for k, v in row.items() if old[pk].get(k) != v} for pk, row in rows.items() if pk in old}
        changed = {pk: fields for pk, fields in changed.items() if fields}
        removed = len([pk for pk in old if pk not in rows])  # which row a regeneration replaces differs per run
        if added or changed or removed:
            diff[label] = {"added": added, "changed": changed, "removed": removed}
    return diff


@pytest.mark.parametrize("role", ["trainee", "mentor"])
def test_extra_fields_posted_to_any_form_change_nothing_more(declared_world, role):
    world = declared_world
    client = sign_in_as(Client(), world, role)
    forms = {}
    for _name, path in readable_pages(world, role):
        for form in forms_on(path, page_text(client.get(path))):
            forms.setdefault(form.key, form)
    assert forms, f"no form found for {role}: the walk is broken"
    for form in forms.values():
        extras = {name: value for name, value in injected(world).items() if name not in form.fields}
        sign_in_as(client, world, role)
        client.post(form.action, form.data())
        first = snapshot()
        sign_in_as(client, world, role)
        client.post(form.action, form.data())
        second = snapshot()
        sign_in_as(client, world, role)
        response = client.post(form.action, form.data(**extras))
        assert response.status_code < 500, f"{form.action} answered {response.status_code} to extra fields"
        third = snapshot()
        assert change(second, third) == change(first, second), (
            f"{role} changed more through {form.action} (from {form.page}) with {sorted(extras)}"
        )
    world.trainee.refresh_from_db()
    assert not world.trainee.is_staff and not world.trainee.is_superuser
