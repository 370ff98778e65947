"""A mentor's host certificate: issued by the coordinator from confirmed sessions, verifiable like a trainee's."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import override

from mentorship import services
from notifications.models import Notification
from tests.factories.accounts import SchoolFactory, make_user
from tests.factories.mentorship import log_session, make_host, make_pairing
from tests.factories.training import add_member
from training.certificates import certificate_pdf
from training.models import Certificate, CertificateKind, CohortMembership, MembershipStatus
from training.services import certificate_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosted(world):
    """The mentor hosts two trainees; three sessions are confirmed (2 + 1.5 + 3 hours), one is still waiting."""
    make_host(world.mentor)
    second = make_user(email="second@example.com", display_name="学员丁", region=world.region_b)
    add_member(world.cohort, second, "trainee")
    first_pair = make_pairing(world.cohort, world.trainee, world.mentor, coordinator=world.coordinator)
    second_pair = make_pairing(world.cohort, second, world.mentor, coordinator=world.coordinator)
    for pairing, trainee, hours in ((first_pair, world.trainee, "2.0"), (first_pair, world.trainee, "1.5")):
        log = log_session(pairing, world.mentor, hours=hours, days_ago=2 if hours == "2.0" else 1)
        services.session_log_confirm(acting_user=trainee, session_log=log)
    log = log_session(second_pair, world.mentor, hours="3.0", days_ago=3)
    services.session_log_confirm(acting_user=second, session_log=log)
    log_session(second_pair, world.mentor, hours="4.0", days_ago=4)  # not confirmed: does not count
    return world


def test_the_certificate_states_what_the_trainees_confirmed(hosted):
    [certificate] = services.host_certificate_issue(
        acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=[hosted.mentor.pk]
    )
    assert certificate.kind == CertificateKind.HOSTING
    assert certificate.hours == Decimal("6.5")
    assert certificate.sessions_confirmed == 3
    assert certificate.trainees_supported == 2
    assert certificate.holder_name == "导师甲"
    assert [region["name"] for region in certificate.host_regions] == ["安徽省"]  # where the trainees came from
    assert Notification.objects.filter(recipient=hosted.mentor, kind="training.certificate_issued").count() == 1
    # The mentor keeps mentoring: the membership is not closed the way a trainee's is.
    assert CohortMembership.objects.get(cohort=hosted.cohort, user=hosted.mentor).status == MembershipStatus.ACTIVE


def test_all_or_nothing_and_never_twice(hosted):
    idle = make_user(email="idle@example.com", display_name="导师戊", school=SchoolFactory(region=hosted.region_a))
    add_member(hosted.cohort, idle, "mentor")
    with pytest.raises(ValidationError) as refused:
        services.host_certificate_issue(
            acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=[hosted.mentor.pk, idle.pk]
        )
    assert "导师戊" in " ".join(refused.value.messages)
    assert not Certificate.objects.exists()

    services.host_certificate_issue(acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=[hosted.mentor.pk])
    with pytest.raises(ValidationError):
        services.host_certificate_issue(
            acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=[hosted.mentor.pk]
        )
    assert Certificate.objects.count() == 1


def test_only_mentors_of_the_cohort_and_only_by_its_coordinator(hosted):
    with pytest.raises(ValidationError):  # a trainee is not a host
        services.host_certificate_issue(
            acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=[hosted.trainee.pk]
        )
    with pytest.raises(ValidationError):  # a mentor of another cohort
        services.host_certificate_issue(
            acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=[hosted.other_mentor.pk]
        )
    with pytest.raises(PermissionDenied):
        services.host_certificate_issue(
            acting_user=hosted.other_coordinator, cohort=hosted.cohort, mentor_ids=[hosted.mentor.pk]
        )
    with pytest.raises(ValidationError):
        services.host_certificate_issue(acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=["x"])
    assert not Certificate.objects.exists()


def test_revoking_a_host_certificate_allows_a_new_one(hosted):
    [certificate] = services.host_certificate_issue(
        acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=[hosted.mentor.pk]
    )
    certificate_revoke(certificate=certificate, acting_user=hosted.coordinator, reason="学时有误")
    assert CohortMembership.objects.get(cohort=hosted.cohort, user=hosted.mentor).status == MembershipStatus.ACTIVE
    services.host_certificate_issue(acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=[hosted.mentor.pk])
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == 1


def test_the_pdf_says_hosting_in_both_languages(hosted):
    [certificate] = services.host_certificate_issue(
        acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=[hosted.mentor.pk]
    )
    pdf = certificate_pdf(certificate, compress=False)
    assert pdf.startswith(b"%PDF")
    assert b"Certificate of Hosting" in pdf
    assert b"hosted 2 trainees" in pdf
    assert b"Certificate of Completion" not in pdf


def test_coordinator_issues_from_the_page_and_anyone_verifies(hosted, client):
    idle = make_user(email="idle@example.com", display_name="导师戊")
    add_member(hosted.cohort, idle, "mentor")
    client.force_login(hosted.coordinator)
    url = f"/mentorship/cohorts/{hosted.cohort.pk}/host-certificates/"
    page = client.get(url).content.decode()
    assert f'value="{hosted.mentor.pk}"' in page
    assert f'value="{idle.pk}"' not in page  # nothing confirmed yet, so nothing to tick
    assert "导师戊" in page

    response = client.post(url, {"mentor": [hosted.mentor.pk]}, follow=True)
    assert response.redirect_chain[-1][0] == url
    certificate = Certificate.objects.get()
    assert certificate.code in response.content.decode()

    client.logout()
    with override("en"):
        verify = client.get(reverse("training:certificate-verify", args=[certificate.code]))
    text = verify.content.decode()
    assert verify.status_code == 200
    assert "Certificate of hosting" in text and "This certificate is valid." in text
    # Issue 16: the public check states the certified hours, which partner regions recognise.
    assert "6.5 hours" in text


def test_the_mentor_finds_it_on_their_record(hosted, client):
    [certificate] = services.host_certificate_issue(
        acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=[hosted.mentor.pk]
    )
    client.force_login(hosted.mentor)
    record = client.get("/mentorship/record/").content.decode()
    pdf_url = reverse("training:certificate-pdf", args=[certificate.pk])
    assert pdf_url in record
    pdf = client.get(pdf_url)
    client.force_login(hosted.other_mentor)
    assert client.get(pdf_url).status_code == 404
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_failed_post_changes_nothing_and_says_why(hosted, client):
    client.force_login(hosted.coordinator)
    with override("en"):
        url = reverse("mentorship:host-certificates", args=[hosted.cohort.pk])
    response = client.post(url, {"mentor": [hosted.trainee.pk]}, follow=True)
    assert response.status_code == 200
    assert "Only mentors of this cohort can receive a host certificate." in response.content.decode()
    assert not Certificate.objects.exists()


def test_the_api_tells_a_host_certificate_from_a_completion_one(hosted, client):
    [certificate] = services.host_certificate_issue(
        acting_user=hosted.coordinator, cohort=hosted.cohort, mentor_ids=[hosted.mentor.pk]
    )
    body = client.get(f"/api/v1/certificates/verify/{certificate.code}/").json()
    assert body["kind"] == "hosting" and body["valid"] is True


def test_the_host_certificates_page_costs_the_same_queries_for_2_and_20_mentors(hosted, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_mentors(count):
        for n in range(count):
            mentor = make_user(email=f"host{n}-{count}@example.com", school=SchoolFactory(region=hosted.region_a))
            add_member(hosted.cohort, mentor, "mentor")
            trainee = make_user(email=f"shadow{n}-{count}@example.com", region=hosted.region_b)
            add_member(hosted.cohort, trainee, "trainee")
            make_host(mentor)
            log = log_session(make_pairing(hosted.cohort, trainee, mentor, coordinator=hosted.coordinator), mentor)
            services.session_log_confirm(acting_user=trainee, session_log=log)

    client.force_login(hosted.coordinator)
    url = reverse("mentorship:host-certificates", args=[hosted.cohort.pk])

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_mentors(1)  # 2 mentors with confirmed sessions
    few = count()
    add_mentors(18)  # 20
    assert count() == few
