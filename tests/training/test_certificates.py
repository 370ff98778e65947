import csv
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.audit import audit_entries_for
from tests.factories.accounts import make_user
from tests.factories.training import add_member
from training.certificates import certificate_pdf
from training.models import Certificate, CohortMembership, HoursSource, MembershipStatus
from training.services import certificate_issue, certificate_revoke, hours_credit

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """The text drawn on an uncompressed reportlab page: CID strings are UTF-16, the others Latin-1."""
    cid_fonts = set(re.findall(rb"/BaseFont /STSong-Light.*?/Name /(F\d+)", pdf, re.S))
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def unescape(raw: bytes) -> bytes:
        out, index = bytearray(), 0
        while index < len(raw):
            char = raw[index : index + 1]
            if char != b"\\":
                out += char
                index += 1
                continue
            following = raw[index + 1 : index + 2]
            octal = re.match(rb"[0-7]{1,3}", raw[index + 1 : index + 4])
            if octal:
                out.append(int(octal.group(), 8))
                index += 1 + len(octal.group())
            else:
                out += escapes.get(following, following)
                index += 2
        return bytes(out)

    parts, font = [], None
    for match in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", pdf):
        if match.group(1):
            font = match.group(1)
            continue
        raw = unescape(match.group(2))
        parts.append(raw.decode("utf-16-be") if font in cid_fonts else raw.decode("latin-1"))
    return "\n".join(parts)


@pytest.fixture
def ready(world):
    """The world trainee has met every rule; a second trainee has not."""
    programme = world.cohort.programme
    programme.required_sessions = 0
    programme.required_assignments = 0
    programme.min_mentoring_hours = Decimal("2")
    programme.credit_hours = Decimal("4")
    programme.save()
    membership = CohortMembership.objects.get(cohort=world.cohort, user=world.trainee)
    hours_credit(
        trainee=world.trainee,
        hours=Decimal("4.5"),
        source=HoursSource.MENTORING,
        occurred_on=timezone.localdate(),
        source_object=membership,
        cohort=world.cohort,
    )
    laggard = make_user(email="laggard@example.com", display_name="进度慢", region=world.region_b)
    add_member(world.cohort, laggard, "trainee")
    return laggard


def test_signing_off_issues_a_certificate_and_completes_the_membership(
    world, ready, pairings, django_capture_on_commit_callbacks
):
    pairings(world.cohort, world.trainee, world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        (certificate,) = certificate_issue(
            cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk]
        )
    assert certificate.holder_name == "学员甲"
    assert certificate.hours == Decimal("4.5")
    assert certificate.home_region == "安徽省"
    assert certificate.host_regions == [{"name": "上海市", "name_en": "Shanghai"}]
    assert {region["name"] for region in certificate.issuing_regions} == {"上海市", "安徽省"}
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", certificate.code)
    assert CohortMembership.objects.get(cohort=world.cohort, user=world.trainee).status == MembershipStatus.COMPLETED
    assert [entry.action for entry in audit_entries_for(instances=[certificate])] == ["training.certificate.issue"]
    assert [message.to for message in mail.outbox] == [[world.trainee.email]]


def test_a_batch_with_someone_short_of_the_rules_signs_off_nobody(world, ready):
    with pytest.raises(ValidationError) as raised:
        certificate_issue(cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk, ready.pk])
    assert "进度慢" in str(raised.value)
    assert not Certificate.objects.exists()
    assert CohortMembership.objects.get(cohort=world.cohort, user=world.trainee).status == MembershipStatus.ACTIVE


def test_the_sign_off_page_signs_off_the_chosen_trainees(client, world, ready):
    client.force_login(world.coordinator)
    page = client.get(f"/en/cohorts/{world.cohort.pk}/sign-off/").content.decode()
    assert "学员甲" in page and "进度慢" in page
    response = client.post(f"/en/cohorts/{world.cohort.pk}/sign-off/", {"trainee": [ready.pk]})
    assert response.status_code == 200
    assert "have not met every completion rule" in response.content.decode()
    assert not Certificate.objects.exists()
    client.post(f"/en/cohorts/{world.cohort.pk}/sign-off/", {"trainee": [world.trainee.pk]})
    assert Certificate.objects.count() == 1


def test_signing_off_nobody_or_a_malformed_list_says_what_to_do(client, world, ready):
    client.force_login(world.coordinator)
    nobody = client.post(f"/en/cohorts/{world.cohort.pk}/sign-off/", {})
    assert "Choose trainees to sign off." in nobody.content.decode()
    malformed = client.post(f"/en/cohorts/{world.cohort.pk}/sign-off/", {"trainee": [world.trainee.pk, "all"]})
    assert "The list sent is not valid. Reload the page and try again." in malformed.content.decode()
    assert not Certificate.objects.exists()


def test_the_certificate_pdf_reads_in_chinese_and_english(world, ready):
    (certificate,) = certificate_issue(
        cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk]
    )
    text = pdf_text(certificate_pdf(certificate, compress=False))
    for expected in [
        "结业证书",
        "Certificate of Completion",
        "学员甲",
        world.cohort.programme.title,
        world.cohort.programme.title_en,
        "4.5",
        "安徽省",
        certificate.code,
        f"/verify/{certificate.code}/",
    ]:
        assert expected in text, expected


def test_the_holder_downloads_the_pdf(client, world, ready):
    (certificate,) = certificate_issue(
        cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk]
    )
    client.force_login(world.trainee)
    response = client.get(f"/certificates/{certificate.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_public_check_shows_validity_hours_and_regions_but_no_contact_details(client, world, ready):
    (certificate,) = certificate_issue(
        cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk]
    )
    page = client.get(f"/en/verify/{certificate.code}/").content.decode()
    page = page[page.index("<main") : page.index("</main>")]
    assert "This certificate is valid." in page
    assert "学员甲" in page
    assert world.cohort.programme.title_en in page
    # What a partner region needs to recognise the credit (issue 16): hours and the home, host and issuing regions.
    assert "4.5 hours" in page and "Anhui" in page
    assert world.trainee.email not in page


def test_a_forged_code_gets_a_clear_page(client, db):
    response = client.get("/en/verify/FAKE-CODE-1234/")
    assert response.status_code == 404
    assert "No certificate has this code." in response.content.decode()
    assert "FAKE-CODE-1234" in response.content.decode()


def test_a_revoked_certificate_says_so_publicly(client, world, ready):
    (certificate,) = certificate_issue(
        cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk]
    )
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=certificate, acting_user=world.coordinator, reason=" ")
    certificate_revoke(certificate=certificate, acting_user=world.coordinator, reason="学时记录有误")
    page = client.get(f"/en/verify/{certificate.code}/").content.decode()
    assert "This certificate has been revoked." in page
    assert "学时记录有误" not in page
    (entry, _issue) = audit_entries_for(instances=[certificate])
    assert (entry.action, entry.user, entry.data["reason"]) == (
        "training.certificate.revoke",
        world.coordinator,
        "学时记录有误",
    )
    assert CohortMembership.objects.get(cohort=world.cohort, user=world.trainee).status == MembershipStatus.ACTIVE


def test_the_hours_export_is_per_region_for_credit_recognition(client, world, ready):
    certificate_issue(cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk])
    client.force_login(world.coordinator)
    response = client.get(f"/en/cohorts/{world.cohort.pk}/hours.csv?region=ah")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][0] == "Name"
    names = [row[0] for row in rows[1:]]
    assert sorted(names) == ["学员甲", "进度慢"]
    trainee_row = next(row for row in rows if row[0] == "学员甲")
    assert "4.5" in trainee_row
    assert trainee_row[-1].endswith("/verify/" + Certificate.objects.get().code + "/")
    shanghai = client.get(f"/en/cohorts/{world.cohort.pk}/hours.csv?region=sh").getvalue().decode("utf-8-sig")
    assert "学员甲" not in shanghai


def test_a_regional_admin_exports_only_their_regions_hours(client, world, ready):
    other = make_user(display_name="上海学员", region=world.region_a)
    add_member(world.cohort, other, "trainee")
    client.force_login(world.regional_admin)
    content = client.get(f"/cohorts/{world.cohort.pk}/hours.csv").getvalue().decode("utf-8-sig")
    assert "学员甲" in content
    assert "上海学员" not in content


def test_revoked_pdfs_are_stamped(world, ready):
    (certificate,) = certificate_issue(
        cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk]
    )
    certificate_revoke(certificate=certificate, acting_user=world.coordinator, reason="x")
    certificate.refresh_from_db()
    assert "REVOKED" in pdf_text(certificate_pdf(certificate, compress=False))


def test_issuing_twice_is_refused(world, ready):
    certificate_issue(cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk])
    with pytest.raises(ValidationError):
        certificate_issue(cohort=world.cohort, acting_user=world.coordinator, trainee_ids=[world.trainee.pk])
    assert Certificate.objects.count() == 1


def test_the_hours_export_does_not_hand_a_spreadsheet_a_formula(client, world, ready):
    world.trainee.display_name = "+cmd|' /C calc'!A0"
    world.trainee.save()
    client.force_login(world.coordinator)
    rows = list(
        csv.reader(io.StringIO(client.get(f"/cohorts/{world.cohort.pk}/hours.csv").getvalue().decode("utf-8-sig")))
    )
    assert "'+cmd|' /C calc'!A0" in [row[0] for row in rows]
