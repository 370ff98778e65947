"""Personal data rights (issue 14, item 3): my data as a ZIP, erasure confirmed by an administrator,
and exports of personal data recorded in the audit log."""

import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.models import DataExport, ErasureRequest, User
from tests.factories.mentorship import mentorship_world
from tests.factories.training import training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_world(world, home_page):
    from cms import services as cms_services
    from tests.factories import cms as pages
    from training.services import hours_credit

    event = pages.event_page(pages.event_index(home_page), n=1, capacity=5, host_region=world.region_a)
    cms_services.event_register(event=event, acting_user=world.trainee)

    training_world(world)
    mentorship_world(world)
    hours_credit(
        trainee=world.trainee,
        hours=Decimal("3.5"),
        source="correction",
        occurred_on=timezone.localdate(),
        cohort=world.cohort,
        credited_by=world.coordinator,
        note="补录",
    )
    from notifications.services import notification_send

    notification_send(recipient=world.trainee, kind="announcement", context={"title": "学员甲的通知"})
    return world


def build_archive(client, person, django_capture_on_commit_callbacks) -> zipfile.ZipFile:
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/my-data/", {"action": "export"})
    assert response.status_code == 302
    export = DataExport.objects.get(user=person)
    assert export.status == "ready" and export.progress == 100
    page = client.get("/account/my-data/")
    download = f"/account/my-data/{export.pk}/download/"
    assert download in page.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_my_data_archive_holds_everything_about_me_in_json_and_csv(
    client, full_world, django_capture_on_commit_callbacks
):
    world = full_world
    archive = build_archive(client, world.trainee, django_capture_on_commit_callbacks)
    names = set(archive.namelist())
    for table in (
        "account",
        "accounts.profile.user",
        "training.cohortmembership.user",
        "training.submission.trainee",
        "training.hoursentry.trainee",
        "notifications.notification.recipient",
        "cms.eventregistration.user",
        "mentorship.session_logs_of_my_pairings",
        "mentorship.reflections_of_my_pairings",
        "audit.entries_about_me",
    ):
        assert f"json/{table}.json" in names, table
        assert f"csv/{table}.csv" in names, table
    assert any(name.startswith("files/submissions/") for name in names)
    account = json.loads(archive.read("json/account.json"))
    assert account[0]["email"] == "trainee@example.com"
    # The mentor's session log about my pairing and my own reflection are both in it.
    assert "甲组的秘密记录" in archive.read("json/mentorship.session_logs_of_my_pairings.json").decode()
    assert "学员甲的私人反思" in archive.read("json/mentorship.reflections_of_my_pairings.json").decode()
    hours = json.loads(archive.read("json/training.hoursentry.trainee.json"))
    assert "3.5" in {row["hours"] for row in hours}
    everything = b"".join(archive.read(name) for name in names)
    assert b"pbkdf2" not in everything and b"argon2" not in everything  # no password hash leaves
    # Nobody else's archive link works for me, and mine stops working when it expires.
    export = DataExport.objects.get(user=world.trainee)
    client.force_login(world.mentor)
    assert client.get(f"/account/my-data/{export.pk}/download/").status_code == 404
    client.force_login(world.trainee)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(f"/account/my-data/{export.pk}/download/").status_code == 404
    assert ModelLogEntry.objects.filter(
        action="accounts.personal_data.export_download", object_id=str(world.trainee.pk), user=world.trainee
    ).exists()


def test_progress_is_shown_while_the_archive_is_being_prepared(client, world):
    client.force_login(world.trainee)
    client.post("/account/my-data/", {"action": "export"})  # not committed: the task has not run
    DataExport.objects.filter(user=world.trainee).update(status="running", progress=40)
    page = client.get("/account/my-data/").content.decode()
    assert 'value="40"' in page and 'http-equiv="refresh"' in page
    client.post("/account/my-data/", {"action": "export"})
    assert DataExport.objects.filter(user=world.trainee).count() == 1  # no second archive while one runs


def _ledger_totals():
    from training.models import HoursEntry

    return {
        row["cohort_id"]: row["total"] for row in HoursEntry.objects.values("cohort_id").annotate(total=Sum("hours"))
    }


def test_erasure_anonymises_the_person_and_keeps_the_ledger_verification_and_others(client, admin_client, full_world):
    world = full_world
    tw, mw = training_world(world), mentorship_world(world)
    certificate = tw.certificate
    totals = _ledger_totals()
    assert totals
    client.force_login(world.trainee)
    response = client.post("/account/my-data/", {"action": "erase", "reason": "离职"}, follow=True)
    assert "administrator" in response.content.decode() or "管理员" in response.content.decode()
    erasure = ErasureRequest.objects.get(user=world.trainee, status="requested")
    # Until an administrator confirms, nothing is erased.
    assert User.objects.get(pk=world.trainee.pk).email == "trainee@example.com"

    staff = world.staff
    admin_client.force_login(staff)
    admin_client.post(
        "/django-admin/accounts/erasurerequest/",
        {"action": "confirm_erasure", "_selected_action": [erasure.pk]},
    )
    person = User.objects.get(pk=world.trainee.pk)
    assert person.erased_at is not None
    assert "trainee@example.com" != person.email and "学员甲" not in (person.display_name, person.get_full_name())
    assert not person.is_active and not person.has_usable_password()
    assert person.notifications.count() == 0
    assert ModelLogEntry.objects.filter(action="accounts.personal_data.erase", user=staff).exists()
    erasure.refresh_from_db()
    assert erasure.status == "erased" and erasure.decided_by == staff

    # The ledger's totals are unchanged.
    assert _ledger_totals() == totals
    # The certificate still verifies, as issued, without the name.
    client.logout()
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "学员甲" not in page
    assert "证书有效" in page or "valid" in page
    assert certificate.code in page
    # Other people's pages still work and keep their own records.
    client.force_login(world.mentor)
    pairing_page = client.get(f"/mentorship/pairings/{mw.pairing.pk}/")
    assert pairing_page.status_code == 200
    assert "学员甲" not in pairing_page.content.decode()
    client.force_login(world.coordinator)
    for path in (
        f"/cohorts/{world.cohort.pk}/members/",
        f"/dashboard/cohorts/{world.cohort.pk}/",
        f"/cohorts/{world.cohort.pk}/hours.csv",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "学员甲" not in response.getvalue().decode("utf-8-sig"), path
    # The mentor's own session log stays as the mentor wrote it; the peer pairing is untouched.
    mw.log.refresh_from_db()
    assert mw.log.went_well == "甲组的秘密记录"
    # The erased person can no longer sign in.
    client.logout()
    client.post("/accounts/login/", {"login": "trainee@example.com", "password": "x"})
    assert "_auth_user_id" not in client.session


def test_only_a_platform_administrator_confirms_and_not_their_own(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    from accounts import data_rights

    request = data_rights.erasure_request(acting_user=world.trainee)
    with pytest.raises(ValidationError):
        data_rights.erasure_request(acting_user=world.trainee)
    with pytest.raises(PermissionDenied):
        data_rights.erasure_confirm(acting_user=world.coordinator, request=request)
    own = data_rights.erasure_request(acting_user=world.staff)
    with pytest.raises(ValidationError):
        data_rights.erasure_confirm(acting_user=world.staff, request=own)
    assert User.objects.get(pk=world.trainee.pk).erased_at is None


def test_exports_of_personal_data_are_audited_with_who_and_when(client, world):
    client.force_login(world.coordinator)
    for path in (
        f"/dashboard/cohorts/{world.cohort.pk}/export.csv",
        f"/dashboard/cohorts/{world.cohort.pk}/export.xlsx",
        f"/cohorts/{world.cohort.pk}/hours.csv",
    ):
        assert client.get(path).status_code == 200, path
    entries = ModelLogEntry.objects.filter(action="accounts.personal_data.exported", object_id=str(world.cohort.pk))
    assert sorted(entry.data["export"] + "." + entry.data["format"] for entry in entries) == [
        "cohort-overview.csv",
        "cohort-overview.xlsx",
        "hours.csv",
    ]
    assert {entry.user for entry in entries} == {world.coordinator}
    assert all(entry.timestamp for entry in entries)


def test_registrant_and_api_exports_are_audited(client, world, home_page):
    from api.services import api_token_create
    from cms import services as cms_services
    from tests.factories import cms as pages

    event = pages.event_page(pages.event_index(home_page), n=1, capacity=5, host_region=world.region_a)
    cms_services.event_register(event=event, acting_user=world.trainee)
    client.force_login(world.staff)
    assert client.get(f"/site/events/{event.pk}/registrants.xlsx").status_code == 200
    from wagtail.models import PageLogEntry

    entry = PageLogEntry.objects.get(action="accounts.personal_data.exported", page=event)
    assert entry.user == world.staff and entry.data["export"] == "event-registrants"

    client.logout()
    secret = api_token_create(acting_user=world.coordinator, name="系统", scope="read").secret
    for path, name in (
        (f"/api/v1/cohorts/{world.cohort.pk}/memberships/", "api.memberships"),
        (f"/api/v1/cohorts/{world.cohort.pk}/hours/", "api.hours"),
    ):
        assert client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200, path
        assert (
            ModelLogEntry.objects.filter(
                action="accounts.personal_data.exported", object_id=str(world.cohort.pk), user=world.coordinator
            )
            .filter(data__export=name)
            .exists()
        ), name


def test_api_verification_of_an_erased_holder_has_no_name(client, world):
    from accounts import data_rights

    certificate = training_world(world).certificate
    data_rights.person_erase(person=world.trainee, acting_user=world.staff)
    body = client.get(f"/api/v1/certificates/verify/{certificate.code}/").json()
    assert body["holder_name"] == "" and body["code"] == certificate.code
    assert "学员甲" not in json.dumps(body, ensure_ascii=False)


def test_a_coordinators_archive_holds_what_they_did_not_other_peoples_data(
    client, full_world, django_capture_on_commit_callbacks
):
    """The coordinator issued the trainee's certificate and credited their hours: the archive says
    that they did and when, without the trainee's name or e-mail."""
    archive = build_archive(client, full_world.coordinator, django_capture_on_commit_callbacks)
    issued = json.loads(archive.read("json/training.certificate.issued_by.json"))
    assert issued and set(issued[0]) >= {"id", "as", "issued_at"} and "holder_name" not in issued[0]
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert "学员甲".encode() not in everything
    assert b"trainee@example.com" not in everything


def test_lists_shaped_in_sql_name_an_erased_person_as_the_pages_do(world):
    """The API's hours list builds names in SQL (full_name_expression): an erased trainee is not their e-mail."""
    from accounts import data_rights
    from accounts.models import full_name_expression
    from training.models import CohortMembership

    data_rights.person_erase(person=world.trainee, acting_user=world.staff)
    names = set(
        CohortMembership.objects.filter(cohort=world.cohort)
        .annotate(name=full_name_expression("user"))
        .values_list("name", flat=True)
    )
    assert User.objects.get(pk=world.trainee.pk).get_full_name() in names
    assert not any("erased" in name or "学员甲" in name for name in names)


def test_bad_input_on_my_data_changes_nothing_and_says_why(client, world):
    client.force_login(world.trainee)
    page = client.post("/account/my-data/", {"action": "delete-everyone"}, follow=True).content.decode()
    assert "Choose what you would like to do." in page or "请选择您要进行的操作。" in page
    client.post("/account/my-data/", {"action": "erase", "reason": "长" * 2001}, follow=True)
    assert not DataExport.objects.filter(user=world.trainee).exists()
    assert not ErasureRequest.objects.filter(user=world.trainee).exists()
