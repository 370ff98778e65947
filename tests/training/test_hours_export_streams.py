"""The hours export streams (issue 20 item 1) and writes the very bytes it wrote when it was built in memory."""

from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override

from accounts.spreadsheets import csv_stream, csv_text
from tests.factories.accounts import make_user
from tests.factories.training import add_member
from training.certificates import verification_url
from training.models import HoursSource
from training.selectors import hours_by_region, hours_by_region_streamed
from training.services import certificate_issue, hours_credit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(world):
    programme = world.cohort.programme
    programme.required_sessions = programme.required_assignments = 0
    programme.min_mentoring_hours = programme.credit_hours = Decimal("2")
    programme.save()
    names = ["=SUM(A1)", "学员丙", "学员丁", "Ann", "+cmd"]
    for n, name in enumerate(names):
        person = make_user(email=f"s{n}@example.com", display_name=name, region=world.region_b)
        membership = add_member(world.cohort, person, "trainee")
        hours_credit(
            trainee=person,
            hours=Decimal(n + 2),
            source=HoursSource.MENTORING,
            occurred_on=timezone.localdate(),
            source_object=membership,
            cohort=world.cohort,
        )
    return world.cohort


def lines_as_built_before(cohort, acting_user) -> list:
    """The rows the export held in memory before it streamed (its code as it was, from `hours_by_region`)."""
    sources = [source for source in HoursSource if source != HoursSource.CORRECTION]
    header = [
        "Name",
        "E-mail",
        "Home region",
        "Programme",
        "Cohort",
        *[source.label for source in sources],
        "Credited hours",
        "Certified hours",
        "Certificate",
        "Verification link",
    ]
    lines = [header]
    for row in hours_by_region(acting_user=acting_user, cohort=cohort):
        membership, certificate = row["membership"], row["certificate"]
        lines.append(
            [
                membership.user.get_full_name(),
                membership.user.email,
                membership.region.localized_name if membership.region else "",
                cohort.programme.localized_title,
                cohort.localized_name,
                *[row["by_source"].get(source.value, 0) for source in sources],
                row["total"],
                certificate.hours if certificate else "",
                certificate.code if certificate else "",
                verification_url(certificate) if certificate else "",
            ]
        )
    return lines


def test_the_hours_export_streams_the_same_csv(client, world, cohort):
    trainee_ids = list(cohort.memberships.filter(role="trainee").values_list("user_id", flat=True))
    certificate_issue(cohort=cohort, acting_user=world.coordinator, trainee_ids=trainee_ids[:2])
    client.force_login(world.coordinator)
    response = client.get(f"/en/cohorts/{cohort.pk}/hours.csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="yingzi-hours-{cohort.pk}.csv"'
    streamed = response.getvalue().decode("utf-8")
    with override("en"):
        expected = csv_text(lines_as_built_before(cohort, world.coordinator))
    assert streamed == expected
    assert "'=SUM(A1)" in streamed and "'+cmd" in streamed  # the formula guard holds in the stream


def test_chunks_read_every_row_once_in_the_same_order(world, cohort):
    whole = hours_by_region(acting_user=world.coordinator, cohort=cohort)
    streamed = list(hours_by_region_streamed(acting_user=world.coordinator, cohort=cohort, chunk_size=2))
    assert [(row["membership"].pk, row["total"]) for row in streamed] == [
        (row["membership"].pk, row["total"]) for row in whole
    ]
    assert len(whole) == 6


def test_the_stream_is_the_text_in_blocks():
    rows = [["a", "=1"], [1, Decimal("2.5")], ["中文", None]] * 4
    pieces = list(csv_stream(rows, block=3))
    assert len(pieces) > 1
    assert "".join(pieces) == csv_text(rows)
