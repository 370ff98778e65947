"""Anonymous readers get public pages from the cache, before sessions, users or the database are touched.

`cms.caching` marks a page `public, s-maxage=300` only when nothing on it
belongs to the reader; a proxy in front of gunicorn may then keep it for
five minutes. Most deployments of this platform have no such proxy, so this
middleware is that shared cache inside the application: it stores exactly
the answers a proxy could store, for as long as a proxy could, and hands
them to readers who carry no session or flash-message cookie. Publishing,
unpublishing or deleting a page, a registration for an event (seats left),
and a change of a region, programme, cohort or speaker start a new
generation of the cache at once; a page that turns by itself at a known
moment (an event's registration closing, its materials appearing) is kept
only until then; what else a page shows (a cohort's seats as people enrol)
follows within the five minutes, as it would behind a proxy.

Only addresses without a query string are kept, so that nobody can fill the
cache with `?x=1`, `?x=2`, ...: tracking parameters that no page reads
(`utm_*`, WeChat's `from` and `isappinstalled`, ...) are dropped from the
key, so a shared link is served from the copy of the bare address; any other
parameter (a search's `q`) passes the cache by, neither served nor stored.
`/healthz`, the API and the admins never reach it. When the cache fails,
pages are rendered as if nothing were cached (`config.cache`).
"""

import datetime
import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.cache import get_max_age
from django.utils.translation import get_language_from_request

import versioned

# The name of the version token of every cached public page and of what they share.
PUBLIC_PAGES = "cms-public-pages"


def public_pages_changed(**kwargs) -> None:
    """Forget every cached public page (what `cms.renewals` declares, for callers with no model write)."""
    versioned.renew(PUBLIC_PAGES)


# What rendered pages share is kept as long as a proxy keeps a public page (cms.caching).
KEPT_SECONDS = 300


def kept_with_public_pages(name: str, compute, *, until=None):
    """What `compute()` gives, computed once per generation of the public pages and for KEPT_SECONDS at most.

    For what a rendered page shows everyone alike (a home page's sections, an
    event's seats and speakers): a publication, a registration or a change of
    a region, programme, cohort or speaker starts a new generation, so the
    value follows them at once. `until(value)` may name an earlier moment at
    which the value reads differently by itself (an event ending).
    """
    # The value and the public pages' token in one round trip (a rendered page reads several of these).
    slot = f"cms:kept:{name}"
    found, stamp = versioned.kept(slot, [PUBLIC_PAGES])
    # As for whole pages, the moment is checked on the site's clock too, not only by the cache's expiry.
    if found is not None and (found[1] is None or timezone.now() < found[1]):
        return found[0]
    value = compute()
    seconds = KEPT_SECONDS
    moment = until(value) if until else None
    if moment is not None:
        seconds = max(1, min(seconds, int((moment - timezone.now()).total_seconds())))
    versioned.keep(slot, stamp, (value, moment), seconds)
    return value


def _shared_max_age(response) -> int:
    """How long a shared cache may keep this answer: s-maxage, else max-age; 0 for anything personal."""
    control = response.get("Cache-Control", "")
    directives = {part.strip().split("=")[0].lower(): part.strip() for part in control.split(",") if part.strip()}
    if "public" not in directives or {"private", "no-store", "no-cache"} & directives.keys():
        return 0
    if "s-maxage" in directives:
        try:
            return int(directives["s-maxage"].split("=", 1)[1])
        except (IndexError, ValueError):
            return 0
    return get_max_age(response) or 0


# Never answered from the cache, whatever their headers say: the health probe must see the services as they are.
SKIPPED_PREFIXES = ("/healthz", "/api/", "/cms-admin/", "/django-admin/")
# Query parameters that no page reads, added by campaigns and by WeChat's and others' share links.
IGNORED_PARAMETERS = frozenset(
    getattr(
        settings,
        "YINGZI_PAGE_CACHE_IGNORED_PARAMETERS",
        {"fbclid", "gclid", "msclkid", "mc_cid", "mc_eid", "spm", "from", "isappinstalled", "scene", "clicktime"},
    )
)


def _ignored(parameter: str) -> bool:
    parameter = parameter.lower()
    return parameter.startswith("utm_") or parameter in IGNORED_PARAMETERS


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.personal_cookies = {settings.SESSION_COOKIE_NAME, "messages"}

    def __call__(self, request):
        if (
            request.method != "GET"
            or self.personal_cookies & request.COOKIES.keys()
            or request.path_info.startswith(SKIPPED_PREFIXES)
            or not all(_ignored(parameter) for parameter in request.GET)
        ):
            return self.get_response(request)
        # The stored page and the public pages' token in one round trip.
        slot = self._slot(request)
        cached, stamp = versioned.kept(slot, [PUBLIC_PAGES])
        # The expiry is checked on the site's clock too, not only the cache's: a page that turns at a
        # given moment (an event ending) is never served past that moment.
        if cached is not None and timezone.now() < cached[0]:
            return cached[1]
        response = self.get_response(request)
        seconds = _shared_max_age(response)
        if seconds and response.status_code == 200 and not response.cookies and not response.streaming:
            versioned.keep(slot, stamp, (timezone.now() + datetime.timedelta(seconds=seconds), response), seconds)
        return response

    @staticmethod
    def _slot(request) -> str:
        # The language decides between a page and a redirect to its /en/ twin, so it is part of the key.
        language = get_language_from_request(request, check_path=True)
        # Without the query string: only ignored parameters are left in it (see __call__).
        address = f"{request.get_host()}{request.path}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        return f"cms:public-page:{language}:{digest}"
