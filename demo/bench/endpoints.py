"""The pages `manage.py bench` measures, who opens each, and how its path is found.

A page that is not built yet resolves to None and shows as such in the
table; it is measured as soon as its URL exists. When a page lands under a
URL name not tried here, add the name to its `names`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.urls import NoReverseMatch, reverse

SCALE_DOMAIN = "scale.yingzi.example"
COORDINATOR = "coordinator@yingzi.example"
REGIONAL_ADMIN = "region-admin@yingzi.example"


@dataclass(frozen=True)
class People:
    """The people of the cohort that `seed_demo --scale n` adds."""

    scale: int
    cohort: object
    trainee: object
    mentor: object
    coordinator: object
    regional_admin: object = None

    def person(self, role: str | None):
        return getattr(self, role) if role else None


def people_at(scale: int) -> People:
    from accounts.models import User
    from training.models import Cohort

    return People(
        scale=scale,
        cohort=Cohort.objects.get(name=f"规模测试班 {scale}"),
        trainee=User.objects.get(email=f"trainee0.s{scale}@{SCALE_DOMAIN}"),
        mentor=User.objects.get(email=f"mentor0.s{scale}@{SCALE_DOMAIN}"),
        coordinator=User.objects.get(email=COORDINATOR),
        regional_admin=User.objects.filter(email=REGIONAL_ADMIN).first(),
    )


def first_reversible(names: list[str], **kwargs) -> str | None:
    for name in names:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
    return None


def live_page_url(model_name: str) -> str | None:
    try:
        model = apps.get_model("cms", model_name)
    except LookupError:
        return None
    page = model.objects.live().filter(locale__language_code="zh-hans").first()
    return page.url if page else None


@dataclass(frozen=True)
class Endpoint:
    label: str
    role: str | None  # None: an anonymous visitor
    path: Callable[[People], str | None]
    names: list[str] = field(default_factory=list)
    # A cookie sent as well. `UNCACHED` makes an anonymous visitor one the page cache does not serve
    # (as a reader with a flash message waiting), so that the page is rendered on every request.
    cookie: str = ""
    # For a page kept in a per-person cache: forgets the person's copy, so that the bench can also
    # report what composing the page afresh costs (the first visit after a change).
    forget: Callable[[object], None] | None = None


def _forget_dashboard(person) -> None:
    from dashboard.freshness import person_invalidate

    person_invalidate(person.pk)


def _forget_indicators(person) -> None:
    """The region home composed afresh: the indicators recomputed from every row, the body rendered again."""
    from regional.indicators import indicators_invalidate

    indicators_invalidate()


def _forget_transcript(person) -> None:
    from credits.freshness import transcript_invalidate

    transcript_invalidate(person.pk)


UNCACHED = "messages=bench"


def _cohort_overview(people: People) -> str | None:
    return first_reversible(
        ["dashboard:cohort-overview", "training:cohort-overview", "training:cohort-detail"], cohort_id=people.cohort.pk
    )


def _calendar_feed(people: People) -> str | None:
    from training.models import CalendarFeed

    feed, _ = CalendarFeed.objects.get_or_create(user=people.trainee)
    return first_reversible(["training:calendar-feed"], token=feed.token)


def _schedule(people: People) -> str | None:
    return first_reversible(["training:schedule"], cohort_id=people.cohort.pk)


def _scale_studio(people: People) -> int | None:
    from studios.models import Studio

    studio = Studio.objects.filter(name=f"规模测试工作室 {people.scale}").first()
    return studio.pk if studio else None


def _forget_studios(person) -> None:
    """The studio pages, threads, summaries and library composed afresh (the first visit after a change)."""
    from studios.freshness import studios_of_person_invalidate

    studios_of_person_invalidate(person.pk)


def _studio_page(people: People) -> str | None:
    studio_id = _scale_studio(people)
    return first_reversible(["studios:detail"], studio_id=studio_id) if studio_id else None


def _studio_threads(people: People) -> str | None:
    studio_id = _scale_studio(people)
    return first_reversible(["studios:threads"], studio_id=studio_id) if studio_id else None


def _scale_contest(people: People):
    from contests.models import Contest

    return Contest.objects.filter(name=f"规模测试大赛 s{people.scale}").select_related("page").first()


def _contest_round_url(name: str):
    def path(people: People) -> str | None:
        contest = _scale_contest(people)
        round_ = contest.rounds.order_by("sequence").first() if contest else None
        return first_reversible([name], round_id=round_.pk) if round_ else None

    return path


def _contest_page(people: People) -> str | None:
    contest = _scale_contest(people)
    return contest.page.url if contest and contest.page_id and contest.page.live else None


def _lesson_summary(people: People) -> str | None:
    from studios.models import Lesson

    lesson = Lesson.objects.filter(cycle__topic=f"规模测试课题 {people.scale}").first()
    return first_reversible(["studios:summary"], lesson_id=lesson.pk) if lesson else None


MINIMAL = "minimal view"
ENDPOINTS = [
    Endpoint("home", None, lambda p: "/", cookie=UNCACHED),
    Endpoint("programme page", None, lambda p: live_page_url("ProgrammePage"), cookie=UNCACHED),
    Endpoint("event page", None, lambda p: live_page_url("EventPage"), cookie=UNCACHED),
    Endpoint("home, cached for visitors", None, lambda p: "/"),
    Endpoint("programme page, cached", None, lambda p: live_page_url("ProgrammePage")),
    Endpoint("event page, cached", None, lambda p: live_page_url("EventPage")),
    Endpoint("trainee dashboard", "trainee", lambda p: "/dashboard/", forget=_forget_dashboard),
    Endpoint("mentor dashboard", "mentor", lambda p: "/dashboard/", forget=_forget_dashboard),
    Endpoint("coordinator cohort overview", "coordinator", _cohort_overview),
    Endpoint("cohort schedule", "trainee", _schedule),
    Endpoint("notifications inbox", "trainee", lambda p: "/notifications/"),
    Endpoint("calendar feed", "trainee", _calendar_feed),
    Endpoint("API cohort pairings", "coordinator", lambda p: f"/api/v1/cohorts/{p.cohort.pk}/pairings/"),
    Endpoint("API cohort hours", "coordinator", lambda p: f"/api/v1/cohorts/{p.cohort.pk}/hours/"),
    Endpoint(
        "regional office home",
        "regional_admin",
        lambda p: first_reversible(["regional:home"]),
        forget=_forget_indicators,
    ),
    Endpoint(
        "credit transcript", "trainee", lambda p: first_reversible(["credits:transcript"]), forget=_forget_transcript
    ),
    Endpoint("studio page (500 members)", "trainee", _studio_page, forget=_forget_studios),
    Endpoint("studio threads (5,000 posts)", "trainee", _studio_threads, forget=_forget_studios),
    Endpoint("lesson summary (300 sheets)", "trainee", _lesson_summary, forget=_forget_studios),
    Endpoint(
        "resource library (2,000 resources)",
        "trainee",
        lambda p: first_reversible(["studios:library"]),
        forget=_forget_studios,
    ),
    Endpoint(
        "resource library, search",
        "trainee",
        lambda p: (first_reversible(["studios:library"]) or "") + "?" + urlencode({"q": "大单元"}),
        forget=_forget_studios,
    ),
    Endpoint("contest judge's sheet (100 of 2N entrants)", "mentor", _contest_round_url("contests:judge")),
    Endpoint(
        "contest ranking, coordinator (50 of 2N entrants, published)",
        "coordinator",
        _contest_round_url("contests:ranking"),
    ),
    Endpoint("contest page with results", None, _contest_page, cookie=UNCACHED),
    Endpoint("contest page with results, cached", None, _contest_page),
    Endpoint("/healthz", None, lambda p: "/healthz"),
    Endpoint(MINIMAL, None, lambda p: "/_bench/ok"),
]
