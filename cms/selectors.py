"""Reads for the public pages and the event desk, each in a fixed number of queries."""

import datetime
import re

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from wagtail.models import Page, Site

from accounts.models import Region
from accounts.permissions import administered_region_ids, is_editor
from contests.selectors import published_results_for_page
from training.calendar import CalendarEvent
from training.models import Cohort, CohortMembership, MembershipRole
from training.seats import SEAT_STATUSES

from .models import (
    EventIndexPage,
    EventPage,
    EventRegistration,
    EventSpeaker,
    NewsIndexPage,
    NewsPage,
    ProgrammeIndexPage,
    ProgrammePage,
    RegistrationStatus,
    StudioPage,
)
from .page_cache import PUBLIC_PAGES, kept_with_public_pages

CURRENT = [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]


def home_page_sections(*, home) -> dict:
    """Featured programmes, upcoming events, latest news and partner regions of a home page's locale."""
    return kept_with_public_pages(
        f"home-sections:{home.pk}",
        lambda: _home_page_sections(home),
        # The next event to end leaves the list; one that opens or closes its registration reads differently.
        until=lambda sections: min(
            (moment for event in sections["events"] if (moment := event.changes_by_itself_at())), default=None
        ),
    )


def _home_page_sections(home) -> dict:
    now = timezone.now()
    programmes = list(
        ProgrammePage.objects.live().descendant_of(home).select_related("programme", "image").order_by("path")[:6]
    )
    events = list(
        EventPage.objects.live()
        .descendant_of(home)
        .filter(ends_at__gte=now)
        .select_related("host_region")
        .order_by("starts_at")[:3]
    )
    news = list(NewsPage.objects.live().descendant_of(home).order_by("-date", "-pk")[:3])
    return {"programmes": programmes, "events": events, "news": news, "regions": list(Region.objects.all())}


def programme_page_list(*, parent) -> list[ProgrammePage]:
    """Programme pages under an index, with their programme, and the count of cohorts recruiting now."""
    return list(
        ProgrammePage.objects.live()
        .child_of(parent)
        .select_related("programme", "image")
        .annotate(live_cohorts=Count("programme__cohorts", filter=Q(programme__cohorts__status="recruiting")))
        .order_by("path")
    )


def studio_pages_under(*, parent) -> list[StudioPage]:
    """The live studio pages published under a programme page, with each studio's leader and region."""
    return list(
        StudioPage.objects.live().child_of(parent).select_related("studio__leader", "studio__region").order_by("path")
    )


def programme_page_details(*, page: ProgrammePage, preview: bool = False) -> dict:
    """What a programme page shows beyond its own fields: its open cohorts, partner regions and studios.

    The same for every reader, so kept with the public pages (one cache read): a publication or a change
    of a programme, cohort or region shows at once; seats taken as people enrol, and a studio's leader or
    region, within minutes, as behind a proxy. A preview reads the page being edited and is never kept.
    """

    def details() -> dict:
        return {
            "cohorts": cohort_list_live_for_programme(programme_id=page.programme_id),
            "regions": list(page.partner_regions.all()),
            "studio_pages": studio_pages_under(parent=page),
        }

    if preview:
        return details()
    return kept_with_public_pages(f"programme-page:{page.pk}", details)


def cohort_list_live_for_programme(*, programme_id) -> list[Cohort]:
    """Recruiting and running cohorts of a programme, each with `seats_left` (None: no cap), in one query."""
    cohorts = list(
        Cohort.objects.live()
        .filter(programme_id=programme_id)
        .annotate(
            seats_taken=Count(
                "memberships",
                filter=Q(memberships__role=MembershipRole.TRAINEE, memberships__status__in=SEAT_STATUSES),
            )
        )
        .order_by("starts_on", "pk")
    )
    for cohort in cohorts:
        cohort.seats_left = max(0, cohort.capacity - cohort.seats_taken) if cohort.capacity else None
        cohort.accepts_applications = cohort.status == "recruiting"
    return cohorts


def event_page_list(*, parent) -> dict:
    """Upcoming and past events under an index, with confirmed counts, in one query each."""
    now = timezone.now()
    events = (
        EventPage.objects.live()
        .child_of(parent)
        .select_related("host_region", "image")
        .annotate(confirmed_count=_count_for_canonical(RegistrationStatus.CONFIRMED))
    )
    return {
        "upcoming": list(events.filter(ends_at__gte=now).order_by("starts_at")),
        "past": list(events.filter(ends_at__lt=now).order_by("-starts_at")[:20]),
    }


def _count_for_canonical(status):
    # Translations share the registrations of the default-language page (same translation_key).
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counts = (
        EventRegistration.objects.filter(event__translation_key=OuterRef("translation_key"), status=status)
        .order_by()
        .values("event__translation_key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def news_page_list(*, parent) -> list[NewsPage]:
    return list(NewsPage.objects.live().child_of(parent).select_related("image").order_by("-date", "-pk"))


def event_canonical(*, event: EventPage) -> EventPage:
    """The default-language page of an event: registrations, capacity and dates live there."""
    if event.locale.language_code == settings.LANGUAGE_CODE:
        return event
    canonical = (
        EventPage.objects.filter(translation_key=event.translation_key, locale__language_code=settings.LANGUAGE_CODE)
        .select_related("locale")
        .first()
    )
    return canonical or event


def registration_counts(*, event: EventPage) -> dict:
    """Confirmed and waiting registrations of an event, in one query."""
    counts = EventRegistration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
    )
    return counts


def registration_get_current(*, event: EventPage, user) -> EventRegistration | None:
    if not user.is_authenticated:
        return None
    return EventRegistration.objects.filter(event=event, user=user, status__in=CURRENT).first()


def waiting_position(*, registration: EventRegistration) -> int:
    """1 for the first on the waiting list."""
    return (
        EventRegistration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITLISTED,
            created_at__lte=registration.created_at,
        )
        .exclude(created_at=registration.created_at, pk__gt=registration.pk)
        .count()
    )


def event_page_details(*, event: EventPage, user, preview: bool = False) -> dict:
    """Everything an event page shows beyond its own fields, in a fixed number of queries.

    A moderator's preview also shows contest results waiting for the page's publication, and is never cached.
    """
    shared = kept_with_public_pages(
        f"event-details:{event.pk}",
        lambda: _event_page_shared(event),
        until=lambda details: details["canonical"].changes_by_itself_at(),
    )
    canonical = shared["canonical"]
    registration = registration_get_current(event=canonical, user=user)
    return {
        **shared,
        "registration_state": canonical.registration_state(),
        "registration": registration,
        "waiting_position": waiting_position(registration=registration)
        if registration and registration.status == RegistrationStatus.WAITLISTED
        else None,
        "can_manage": can_manage_event(user=user, event=canonical),
        "contest_results": published_results_for_page(page_ids={event.pk, canonical.pk}, preview=True)
        if preview
        else shared["contest_results"],
    }


def _event_page_shared(event: EventPage) -> dict:
    """What the page shows every reader alike: seats, speakers and materials (a registration renews it)."""
    canonical = event_canonical(event=event)
    counts = registration_counts(event=canonical)
    speakers = list(
        EventSpeaker.objects.filter(page=event).select_related("speaker", "speaker__photo").order_by("sort_order")
    )
    # Slides and papers are the speakers' to release: they appear once the event is over.
    materials_published = canonical.ends_at <= timezone.now()
    materials = list(event.materials.select_related("document").order_by("sort_order")) if materials_published else []
    return {
        "canonical": canonical,
        "confirmed_count": counts["confirmed"],
        "waiting_count": counts["waiting"],
        "seats_left": max(0, canonical.capacity - counts["confirmed"]),
        "speakers": speakers,
        "event_materials": materials,
        "materials_pending": not materials_published and event.materials.exists(),
        # A contest's published ranking, the same for every reader: its rounds' publication renews the cache.
        "contest_results": published_results_for_page(page_ids={event.pk, canonical.pk}),
    }


def can_manage_event(*, user, event: EventPage) -> bool:
    """Staff, editors, the host region's administrators and coordinators from the host region."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or is_editor(user):
        return True
    if event.host_region_id is None:
        return False
    if event.host_region_id in administered_region_ids(user):
        return True
    cache = user.__dict__.setdefault("_yingzi_coordinator_regions", None)
    if cache is None:
        cache = frozenset(
            CohortMembership.objects.filter(
                user=user, role=MembershipRole.COORDINATOR, status__in=CohortMembership.Status.counted_values()
            ).values_list("region_id", flat=True)
        )
        user._yingzi_coordinator_regions = cache
    return event.host_region_id in cache


def event_get_for_manager(*, acting_user, event_id) -> EventPage:
    """The event (default-language page) if this person runs its registration desk; 404 otherwise."""
    event = EventPage.objects.select_related("locale", "host_region").filter(pk=event_id).first()
    if event is None:
        raise Http404
    event = event_canonical(event=event)
    if not can_manage_event(user=acting_user, event=event):
        raise Http404
    return event


def event_get_for_registration(*, event_id) -> EventPage:
    """A live event page; registrations go to its default-language page."""
    event = EventPage.objects.live().select_related("locale").filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event_canonical(event=event)


def registration_latest_own(*, acting_user, event_id) -> EventRegistration | None:
    """The person's newest registration for an event (current or cancelled), or None."""
    return EventRegistration.objects.filter(event_id=event_id, user=acting_user).order_by("-created_at", "-pk").first()


def event_get_live(*, event_id) -> EventPage:
    """A live event page, or 404."""
    event = EventPage.objects.live().filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def registration_get_own(*, acting_user, registration_id) -> EventRegistration:
    registration = (
        EventRegistration.objects.select_related("event", "event__host_region")
        .filter(pk=registration_id, user=acting_user)
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def registration_list_for_export(*, event: EventPage) -> QuerySet[EventRegistration]:
    """Confirmed and waiting registrants, confirmed first, with profile, region and school, in one query."""
    return (
        EventRegistration.objects.filter(event=event, status__in=CURRENT)
        .select_related("user", "user__profile", "user__profile__region", "user__profile__school")
        .order_by("status", "created_at", "pk")
    )


def registration_list_recent_check_ins(*, event: EventPage, limit: int = 10) -> list[EventRegistration]:
    return list(
        EventRegistration.objects.filter(event=event, checked_in_at__isnull=False)
        .select_related("user")
        .order_by("-checked_in_at")[:limit]
    )


def registration_list_for_person(*, user) -> list[EventRegistration]:
    return list(
        EventRegistration.objects.filter(user=user, status__in=CURRENT, event__ends_at__gte=timezone.now())
        .select_related("event")
        .order_by("event__starts_at")
    )


def event_calendar_event(registration: EventRegistration) -> CalendarEvent:
    event = registration.event
    place = event.venue or event.online_url
    return CalendarEvent(
        uid=f"cms-event-{event.pk}-person-{registration.user_id}@yingzi",
        sequence=registration.sequence,
        summary=event.title,
        start=event.starts_at,
        end=event.ends_at,
        location=place,
        description=event.summary,
        url=settings.WAGTAILADMIN_BASE_URL.rstrip("/") + (event.url or ""),
        # Cancelled for the person when they gave up their place, and for everyone when the event is
        # cancelled or withdrawn from the site.
        cancelled=registration.status == RegistrationStatus.CANCELLED or event.cancelled or not event.live,
        last_modified=registration.cancelled_at or registration.promoted_at or registration.created_at,
    )


def event_calendar_events(*, user, cohort=None) -> list[CalendarEvent]:
    """Calendar provider: a person's confirmed (and cancelled) event places; none in a cohort's feed."""
    if cohort is not None:
        return []
    since = timezone.now() - datetime.timedelta(days=90)
    registrations = (
        EventRegistration.objects.filter(
            user=user,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED],
            event__ends_at__gte=since,
        )
        .select_related("event")
        .order_by("event_id", "-created_at")
    )
    latest: dict[int, EventRegistration] = {}
    for registration in registrations:
        # A person who cancelled and registered again has one entry: the newest registration.
        latest.setdefault(registration.event_id, registration)
    return [event_calendar_event(registration) for registration in latest.values()]


def event_calendar_tokens(*, user, cohort=None) -> list[str]:
    """The version token of `event_calendar_events`: a registration, a publication or a withdrawal renews it."""
    return [] if cohort is not None else [PUBLIC_PAGES]


# --- Header and search ----------------------------------------------------------------

SECTION_MODELS = (ProgrammeIndexPage, EventIndexPage, NewsIndexPage)


def page_translation_live(*, page: Page, language: str, request=None) -> Page | None:
    """The live translation of a page in a language, or of the site's home page when it has none; one query."""
    found = (
        Page.objects.live()
        .filter(translation_key=page.translation_key, locale__language_code=language)
        .only("id", "url_path", "depth", "path", "locale_id", "translation_key")
        .first()
    )
    if found is not None:
        return found
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return None
    return (
        Page.objects.live()
        .filter(
            translation_key__in=Page.objects.filter(pk=site.root_page_id).values("translation_key"),
            locale__language_code=language,
        )
        .first()
    )


def section_list_for_menu(*, language: str, request=None) -> list[Page]:
    """The live programme, event and news index pages of one language, in tree order; one query per request."""
    cache = getattr(request, "_cms_sections", None) if request is not None else None
    if cache is not None and language in cache:
        return cache[language]
    from django.contrib.contenttypes.models import ContentType

    content_types = ContentType.objects.get_for_models(*SECTION_MODELS).values()
    sections = list(
        Page.objects.live()
        .public()
        .filter(locale__language_code=language, content_type__in=list(content_types))
        .only("id", "title", "url_path", "depth", "path", "locale_id")
        .order_by("path")
    )
    if request is not None:
        request.__dict__.setdefault("_cms_sections", {})[language] = sections
    return sections


CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
SEARCH_LIMIT = 20


def _search_text_q(query: str) -> Q:
    # Wagtail's database backend splits words on spaces, which Chinese does not have; a substring match does.
    q = Q(title__icontains=query) | Q(search_description__icontains=query) | Q(seo_title__icontains=query)
    for model, field in (
        ("programmepage", "summary"),
        ("eventpage", "summary"),
        ("newspage", "summary"),
        ("standardpage", "summary"),
        ("homepage", "hero_text"),
        ("programmeindexpage", "intro"),
        ("eventindexpage", "intro"),
        ("newsindexpage", "intro"),
    ):
        q |= Q(**{f"{model}__{field}__icontains": query})
    return q


def page_search(*, query: str, language: str, limit: int = SEARCH_LIMIT) -> list[Page]:
    """Live, public pages of one language matching a query, as their specific types.

    Wagtail's search backend ranks words; for Chinese, or when it finds
    nothing, titles, descriptions, summaries and introductions are matched
    as substrings instead.
    """
    query = query.strip()[:100]
    if not query:
        return []
    visible = Page.objects.live().public().filter(locale__language_code=language, depth__gt=1)
    ids: list[int] = []
    if not CJK.search(query):
        # The backend may not filter on privacy; the visible queryset decides what may be shown.
        ranked = [page.pk for page in Page.objects.live().search(query, operator="and")[:200]]
        allowed = set(visible.filter(pk__in=ranked).values_list("pk", flat=True))
        ids = [pk for pk in ranked if pk in allowed][:limit]
    if not ids:
        ids = list(
            visible.filter(_search_text_q(query))
            .order_by("-first_published_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    return [pages[pk] for pk in ids if pk in pages]


def public_page_get(*, page_id: int):
    """A live page that anybody may read (no privacy restriction), as its specific type, or 404."""
    from django.http import Http404
    from wagtail.models import Page

    page = Page.objects.live().public().filter(pk=page_id).specific().first()
    if page is None:
        raise Http404
    return page


def share_card_text(page) -> tuple[str, str]:
    """(title, line under it) of a page's share card: an event's date and venue, else its summary."""
    from django.utils import timezone

    from .models import EventPage

    title = page.seo_title or page.title
    if isinstance(page, EventPage):
        when = timezone.localtime(page.starts_at).strftime("%Y-%m-%d %H:%M")
        return title, " · ".join(part for part in (when, page.venue) if part)
    return title, getattr(page, "search_description", "") or getattr(page, "summary", "") or ""
