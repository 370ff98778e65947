"""The contests' demo: entrants from four regions, a published preliminary, a final open for judging, sign-ups."""

import pytest

from accounts.models import User
from contests.models import Assignment, Contest, Entrant, EntrantStatus, RoundStatus, Score
from contests.selectors import missing_scores
from training.models import Certificate, HoursEntry, HoursSource

pytestmark = pytest.mark.django_db


def test_the_demo_contests(seeded_demo_once, client):
    homeroom = Contest.objects.get(name="长三角班主任基本功大赛")
    assert homeroom.page is not None and homeroom.page.slug == "homeroom-teacher-contest"
    entrants = Entrant.objects.filter(category__contest=homeroom, status=EntrantStatus.NOMINATED)
    assert set(entrants.values_list("region__code", flat=True)) == {"sh", "js", "zj", "ah"}
    preliminary, final = homeroom.rounds.order_by("sequence")
    assert preliminary.status == RoundStatus.PUBLISHED and missing_scores(preliminary) == 0
    assert (
        Score.objects.filter(item__round=preliminary).count()
        == Assignment.objects.filter(item__round=preliminary).count()
        > 0
    )
    assert preliminary.entries.filter(advanced=True).count() == 6  # three per category
    assert final.status == RoundStatus.OPEN and final.entries.count() == 6
    assert Assignment.objects.filter(item__round=final, judge__email="mentor@yingzi.example").exists()
    assert not Score.objects.filter(item__round=final).exists()
    assert HoursEntry.objects.filter(source=HoursSource.CONTEST).count() == entrants.count()
    assert not Certificate.objects.filter(kind="award").exists()  # prizes come with the final

    students = Contest.objects.get(name="长三角师范生教学基本功大赛")
    sign_ups = Entrant.objects.filter(category__contest=students)
    assert sign_ups.filter(status=EntrantStatus.SIGNED_UP).count() == 7
    assert sign_ups.filter(status=EntrantStatus.NOMINATED).count() == 1
    assert all(sign_ups.values_list("university", flat=True))

    # The demo mentor opens the final's sheet; the Jiangsu office sees its nominations.
    client.force_login(User.objects.get(email="mentor@yingzi.example"))
    assert client.get(f"/contests/rounds/{final.pk}/judge/").status_code == 200
    client.force_login(User.objects.get(email="region-admin@yingzi.example"))
    page = client.get(f"/contests/{students.pk}/nominations/").content.decode()
    assert "南京师范大学" in page and "华东师范大学" not in page


def test_the_demo_contests_page_shows_its_published_preliminary(seeded_demo_once, client):
    homeroom = Contest.objects.get(name="长三角班主任基本功大赛")
    # The demo contest's own page shows its published preliminary: those who advanced, by rank.
    page = client.get(homeroom.page.url).content.decode()
    advanced = Entrant.objects.filter(round_entries__round__contest=homeroom, round_entries__advanced=True)
    assert advanced.count() == 6 and all(entrant.person.get_full_name() in page for entrant in advanced)
