import csv
import io

import pytest
from openpyxl import load_workbook

from cms import services
from cms.models import EventRegistration
from tests.factories.accounts import make_user

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_sign_in_before_registering(client, event):
    response = client.post(f"/site/events/{event.pk}/register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    page = client.get(event.url).content.decode()
    assert f"/accounts/login/?next={event.url}" in page
    assert not EventRegistration.objects.exists()


def test_registering_from_the_page_leads_to_the_qr_code(client, event, world):
    client.force_login(world.trainee)
    response = client.post(f"/site/events/{event.pk}/register/")
    registration = EventRegistration.objects.get(user=world.trainee)
    assert response["Location"] == f"/site/registrations/{registration.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'class="qr-code"' in page and registration.code in page
    assert client.get(event.url).content.decode().count("/site/registrations/") == 1


def test_registering_twice_from_the_page_shows_why_and_keeps_one(client, event, world):
    client.force_login(world.trainee)
    client.post(f"/site/events/{event.pk}/register/")
    response = client.post(f"/site/events/{event.pk}/register/", follow=True)
    assert "你已报名本活动" in response.content.decode()
    assert EventRegistration.objects.filter(user=world.trainee).count() == 1


def test_the_english_page_explains_a_closed_registration_in_english(client, event, world):
    type(event).objects.filter(pk=event.pk).update(registration_closes_at=event.registration_opens_at)
    client.force_login(world.trainee)
    response = client.post(f"/en/site/events/{event.pk}/register/", follow=True)
    assert "Registration for this event has closed." in response.content.decode()


def test_the_owner_cancels_from_the_registration_page(client, event, world):
    registration = services.event_register(event=event, acting_user=world.trainee)
    client.force_login(world.trainee)
    response = client.post(f"/site/registrations/{registration.pk}/cancel/")
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_the_desk_checks_in_a_typed_code_once(client, event, world):
    registration = services.event_register(event=event, acting_user=world.trainee)
    client.force_login(world.staff)
    url = f"/site/events/{event.pk}/check-in/"
    assert registration.code in client.get(f"{url}?code={registration.code}").content.decode()
    first = client.post(url, {"code": registration.code}).content.decode()
    second = client.post(url, {"code": registration.code}).content.decode()
    assert "签到成功" in first and "已于" in second
    unknown = client.post(url, {"code": "ZZZZ9999"}).content.decode()
    assert "没有与该签到码对应的报名" in unknown


def test_the_desk_refuses_an_empty_or_overlong_code_with_a_clear_message(client, event, world):
    from django.utils import translation

    registration = services.event_register(event=event, acting_user=world.trainee)
    client.force_login(world.staff)
    url = f"/site/events/{event.pk}/check-in/"
    with translation.override("zh-hans"):
        required = translation.gettext("This field is required.")
    assert required in client.post(url, {"code": "   "}).content.decode()
    overlong = client.post(url, {"code": registration.code + "X" * 32}).content.decode()
    assert "32" in overlong and "签到成功" not in overlong
    registration.refresh_from_db()
    assert registration.checked_in_at is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_holds_exactly_the_current_registrants(client, event, world, fmt):
    seated = [make_user(display_name=f"参会者{n}") for n in range(2)]
    for person in seated:
        services.event_register(event=event, acting_user=person)
    waiting = make_user(display_name="候补者")
    services.event_register(event=event, acting_user=waiting)
    gone = make_user(display_name="已取消者")
    registration = services.event_register(event=event, acting_user=gone)
    services.event_registration_cancel(registration=registration, acting_user=gone)
    client.force_login(world.editor)
    response = client.get(f"/site/events/{event.pk}/registrants.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        rows = [list(row) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    names = [row[0] for row in rows[1:]]
    # Capacity 2: both seated people are confirmed; the one who cancelled was waiting and is gone.
    assert sorted(names) == sorted(["参会者0", "参会者1", "候补者"])


def test_a_person_from_another_region_cannot_open_the_desk(client, event, world):
    event.host_region = world.region_a
    event.save()
    client.force_login(world.other_coordinator)
    assert client.get(f"/site/events/{event.pk}/check-in/").status_code == 404
    client.force_login(world.coordinator)
    assert client.get(f"/site/events/{event.pk}/check-in/").status_code == 200
