"""The studios' busiest pages, rendered once per change of what they show and kept in the cache.

A studio's page (its members, by the hundred), its list of threads, the
summary of a lesson's sheets (by the hundred) and the resource library cost
most of a request to compose, and every member sees the same thing. Each body
is kept under a key made of version tokens (`versioned`), which the writes
declared in `renewals` renew, and of what decides what a viewer may see: the
viewer's tier (member, co-leader, leader or staff; the studios one belongs to
for the library), never the person, so that one entry serves everyone of a tier
and nothing kept for one tier is shown to another.

What no declaration follows (a region or school renamed) shows within
`SECONDS`. A body that holds a form is rendered with `CSRF_PLACEHOLDER`
in place of the visitor's token, which each response puts back.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

import versioned

SECONDS = 300
CSRF_PLACEHOLDER = "csrf-token-of-the-visitor"
LIBRARY = "studios-library"
# Every lesson in every calendar feed: lessons and cycles change a few times a week, so one token for all is exact
# and cheap; a person joining or leaving a studio renews it too.
LESSONS_CALENDAR = "studios-lessons-calendar"


def studio_token(studio_id: int | None) -> str | None:
    """The studio's people, roles, applications and plans (its page)."""
    return f"studios-studio:{studio_id}" if studio_id else None


def threads_token(studio_id: int | None) -> str | None:
    """The studio's threads: titles, flags, replies' counts, last posts."""
    return f"studios-threads:{studio_id}" if studio_id else None


def lesson_token(lesson_id: int | None) -> str | None:
    """A lesson's observation sheets and their answers (its summary)."""
    return f"studios-lesson:{lesson_id}" if lesson_id else None


def template_token(template_id: int | None) -> str | None:
    """An observation template's scale and items (the summaries of the lessons that use it)."""
    return f"studios-template:{template_id}" if template_id else None


def studio_page_key(studio, tier: str) -> str:
    # The day: the page shows this year's plan and starts the themes' form on it.
    names = [studio_token(studio.pk)]
    return versioned.key(f"studios:page:{studio.pk}", names, tier, get_language(), timezone.localdate())


# A studio's threads are kept for their first pages, each with or without the resource a new thread is about.
THREADS_KEPT_PAGES = 10


def threads_key(studio, tier: str, *, page: int | None, resource_id: int | None) -> str | None:
    """The key of a page of threads, or None for one that is not kept (a deep page).

    `resource_id` is one of the studio's own resources (checked by the caller), so that what is kept stays a
    finite set whatever is typed into the address.
    """
    if page is None or not 1 <= page <= THREADS_KEPT_PAGES:
        return None
    names = [threads_token(studio.pk)]
    return versioned.key(f"studios:threads:{studio.pk}", names, tier, get_language(), page, resource_id or "-")


def summary_key(lesson) -> str:
    # The time zone: the summary says when the lesson was taught.
    names = [lesson_token(lesson.pk), template_token(lesson.cycle.template_id)]
    zone = timezone.get_current_timezone_name()
    return versioned.key(f"studios:summary:{lesson.pk}", names, get_language(), zone)


# The library keeps its first pages for each combination of known filters; a deeper page is read afresh.
LIBRARY_KEPT_PAGES = 10
# And the first pages of at most this many distinct searches per generation of the library (`LIBRARY` renewed):
# enough for what readers look for between two changes, too few for junk searches to fill the cache.
LIBRARY_SEARCHES_KEPT = 40


def library_search_text(text: str) -> str:
    """A search as the library reads it: its first five words, case and spacing aside."""
    return " ".join(text.split()[:5]).casefold()[:100]


def library_key(tier: str, *, facets: dict[str, str], search: str, page: int | None) -> str | None:
    """The key of a library page, or None for a page that is never kept (a deep one).

    `facets` are the filters with known values only (kinds, stages, subjects, standards, existing regions and
    studios) and `search` is `library_search_text`, so that no text typed into the address makes a new entry;
    a search's page is kept only while `library_search_may_be_kept` says so.
    """
    if page is None or not 1 <= page <= LIBRARY_KEPT_PAGES:
        return None
    # The tier names the studios one belongs to: hashed, as it may be long.
    tier = hashlib.sha256(tier.encode()).hexdigest()[:24]
    shown = ",".join(f"{name}={value}" for name, value in sorted(facets.items()) if value) or "all"
    if search:
        shown += ":q=" + hashlib.sha256(search.encode()).hexdigest()[:24]
    return versioned.key("studios:library", [LIBRARY], tier, get_language(), shown, page)


def library_search_may_be_kept() -> bool:
    """Whether one more search's page may be kept in this generation of the library (counted in the cache)."""
    counter = versioned.key("studios:library-searches-kept", [LIBRARY])
    cache.add(counter, 0, SECONDS)
    try:
        return cache.incr(counter) <= LIBRARY_SEARCHES_KEPT
    except ValueError:  # the counter expired in between, or the cache does not answer
        return False


def render_body(request, template_name: str, context: dict) -> str:
    """A body to keep: rendered for no one in particular, its forms holding the placeholder for the CSRF token."""
    return render_to_string(template_name, {**context, "csrf_token": CSRF_PLACEHOLDER}, request=request)


def cached_body(
    request, key: str | None, render: Callable[[], str], may_keep: Callable[[], bool] | None = None
) -> SafeString:
    """The body kept under `key`, rendered (with the CSRF placeholder) and kept when it is not there yet.

    No key, or `may_keep()` false: the body is rendered for this request only and nothing is kept.
    """
    body = cache.get(key) if key is not None else None
    if body is None:
        body = render()
        if key is not None and (may_keep is None or may_keep()):
            cache.set(key, body, SECONDS)
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(body)  # noqa: S308 - rendered by our own templates


def studios_of_person_invalidate(user_id: int) -> None:
    """Forget the kept pages of every studio this person belongs to, its lessons' summaries and the library.

    For `manage.py bench`, which reports what composing these pages afresh costs (the first visit after a change).
    """
    from .models import Lesson, StudioMembership

    studio_ids = list(StudioMembership.objects.filter(person_id=user_id).values_list("studio_id", flat=True))
    lesson_ids = Lesson.objects.filter(cycle__studio_id__in=studio_ids).values_list("pk", flat=True)
    versioned.renew(
        LIBRARY,
        *(studio_token(pk) for pk in studio_ids),
        *(threads_token(pk) for pk in studio_ids),
        *(lesson_token(pk) for pk in lesson_ids),
    )
