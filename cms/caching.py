"""Who may keep a copy of a public page: shared caches for anonymous readers, nobody for the signed-in.

A page is shared only when nothing on it belongs to the reader: no session,
no CSRF token, no flash message. Anything else is answered as private and
never stored, so that a proxy cannot hand one person's page to another.
Pages under a privacy restriction need nothing here: Wagtail's own
`on_serve_page` hook marks their answers never-cache after `serve()`, which
drops `public` (tested in tests/cms/test_public_pages.py).
"""

from django.conf import settings
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

# Shared caches (a proxy or CDN in front of gunicorn) keep a page for a few
# minutes, so that an editor's publication reaches readers within minutes.
# Browsers keep nothing (max-age=0): a reader who signs in, or who reloads
# after a publication, must not be shown their own stale anonymous copy.
PUBLIC_SHARED_MAX_AGE = getattr(settings, "CMS_PUBLIC_SHARED_MAX_AGE", 300)


def _is_personal(request, response) -> bool:
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    # Rendering the token would set the CSRF cookie: the page is then this reader's.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    session = getattr(request, "session", None)
    if session is not None and (session.modified or session.session_key):
        return True
    messages = getattr(request, "_messages", None)
    return messages is not None and messages.used


def cache_for_reader(*, request, response, changes_at=None):
    """Mark a rendered page public for a few minutes, or private and uncached when it is personal.

    `changes_at` is when the page will read differently by itself (registration
    opening or closing, materials appearing after an event): no cache keeps it
    past that moment.
    """
    if hasattr(response, "render") and not response.is_rendered:
        # The CSRF and message checks need the template to have run.
        response.render()
    if _is_personal(request, response):
        add_never_cache_headers(response)
    else:
        shared = PUBLIC_SHARED_MAX_AGE
        if changes_at is not None:
            shared = max(0, min(shared, int((changes_at - timezone.now()).total_seconds())))
        patch_cache_control(response, public=True, max_age=0, s_maxage=shared)
    return response
