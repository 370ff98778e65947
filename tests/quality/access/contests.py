"""Skill contests: the pages every signed-in person sees, the regions' nominations, the judge's sheet, the ranking.

The trainee (Anhui) is nominated by Anhui's office into the homeroom teachers' category;
the mentor (Shanghai) judges her on the preliminary's one item and has scored her;
the cohort's coordinator coordinates the whole contest. The round is not published.
"""

from tests.quality.url_access import Access, everyone_signed_in, only

RUNS = {"coordinator": 200, "staff": 200}
JUDGE_COMMENT = "评委甲的私评：班会设计新颖"


def prepare(world) -> None:
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from contests.models import Category, Contest, ContestCoordinator, Item, ItemAsks, Round
    from contests.services import entrant_nominate, judges_seat, round_assign, score_submit

    contest = Contest.objects.create(name="班主任基本功大赛", name_en="Homeroom Teachers' Skills Contest")
    ContestCoordinator.objects.create(contest=contest, user=world.coordinator)
    category = Category.objects.create(contest=contest, name="小学组", name_en="Primary", quota_per_region=2)
    students = Category.objects.create(
        contest=contest, name="师范生组", name_en="Student teachers", for_student_teachers=True, sort_order=1
    )
    round_ = Round.objects.create(
        contest=contest,
        name="初赛",
        name_en="Preliminary",
        submission_deadline=timezone.now() + datetime.timedelta(days=7),
        judges_per_entrant=1,
    )
    item = Item.objects.create(
        round=round_,
        name="主题班会设计",
        name_en="Class meeting design",
        asks_for=ItemAsks.LINK,
        rubric=[{"name": "主题明确", "name_en": "Clear theme", "points": 100}],
    )
    entrant = entrant_nominate(category=category, person=world.trainee, acting_user=world.regional_admin)
    judges_seat(item=item, judges=[world.mentor], acting_user=world.coordinator)
    round_assign(round_=round_, acting_user=world.coordinator)
    world.contest_score = score_submit(
        item=item, entrant_id=entrant.pk, judge=world.mentor, value=Decimal("88"), comment=JUDGE_COMMENT
    )
    world.contest, world.contest_round, world.contest_item = contest, round_, item
    world.contest_entrant, world.student_category = entrant, students


MATRIX = {
    "contests:list": Access(path=lambda w: "/contests/", expect=everyone_signed_in()),
    # Everyone sees the contest; no score shows before publication, not even the entrant's own.
    "contests:detail": Access(
        path=lambda w: f"/contests/{w.contest.pk}/", expect=everyone_signed_in(), secret=lambda w: JUDGE_COMMENT
    ),
    # The contest's coordinators (all regions) and Anhui's office (its own region's entrants).
    "contests:nominations": Access(
        path=lambda w: f"/contests/{w.contest.pk}/nominations/",
        expect=only({**RUNS, "regional_admin": 200}, otherwise=404),
        secret=lambda w: "学员甲",
    ),
    "contests:sign-up": Access(
        path=lambda w: f"/contests/categories/{w.student_category.pk}/sign-up/",
        method="post",
        data=lambda w: {"university": "上海师范大学", "region": w.region_a.pk},
        expect=everyone_signed_in(302),
    ),
    "contests:submit": Access(
        path=lambda w: f"/contests/items/{w.contest_item.pk}/hand-in/",
        method="post",
        data=lambda w: {"link": "https://example.com/plan"},
        expect=only({"trainee": 302}, otherwise=404),
    ),
    # Only the judge sees their sheet and the score form; the entrant appears as a number.
    "contests:judge": Access(
        path=lambda w: f"/contests/rounds/{w.contest_round.pk}/judge/",
        expect=only({"mentor": 200}, otherwise=404),
        secret=lambda w: "88",
    ),
    "contests:score": Access(
        path=lambda w: (
            f"/contests/rounds/{w.contest_round.pk}/items/{w.contest_item.pk}/entrants/{w.contest_entrant.pk}/score/"
        ),
        expect=only({"mentor": 200}, otherwise=404),
        secret=lambda w: JUDGE_COMMENT,
    ),
    # The judge, then the coordinators (the score already corrected: a message, nothing changed).
    "contests:score-correct": Access(
        path=lambda w: f"/contests/scores/{w.contest_score.pk}/correct/",
        method="post",
        data=lambda w: {"value": "90", "reason": "复核后更正"},
        expect=only({"mentor": 302, "coordinator": 302, "staff": 302}, otherwise=404),
    ),
    "contests:ranking": Access(
        path=lambda w: f"/contests/rounds/{w.contest_round.pk}/ranking/",
        expect=only(RUNS, otherwise=404),
        secret=lambda w: "学员甲",
    ),
    "contests:computation": Access(
        path=lambda w: f"/contests/rounds/{w.contest_round.pk}/entrants/{w.contest_entrant.pk}/",
        expect=only(RUNS, otherwise=404),
        secret=lambda w: "导师甲",
    ),
    # Scores exist, so the assignment cannot change: a message, nothing changed.
    "contests:round-action": Access(
        path=lambda w: f"/contests/rounds/{w.contest_round.pk}/assign/",
        method="post",
        expect=only({"coordinator": 302, "staff": 302}, otherwise=404),
    ),
}
