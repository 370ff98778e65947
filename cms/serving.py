"""Wagtail's page view with the request's Site and home page kept with the public pages, and page links without a query.

Wagtail's own view (`wagtail.views.serve`) asks `Page.route_for_request`,
which looks the request's `Site` up with a query (`Site.find_for_request`)
and then reads the active `Locale` and the home page's own row: three
queries before routing starts, on every rendered page (a signed-in reader, a
flash message), about a fifth of the home page's time. The answers change
only when a site, a page's publication or a page's place changes, and each
of those renews the public pages' token (`cms.renewals`), so this view keeps
them with the public pages (`page_cache.kept_with_public_pages`, one cache
read) and routes from there with the documented steps of Wagtail's view:
the home page's `route()` (the documented `Page.route`), then the
`on_serve_page` and `before_serve_page` hooks (view restrictions are one
of them), then the page's `serve()`. Links to pages (`{% page_url %}` in
`cms_tags`) take the same Site through the documented
`Page.relative_url(current_site, request)`, where Wagtail's `{% pageurl %}`
would look the Site up again.

Only documented APIs of Wagtail are used; tests/cms/test_serving.py pins that
this view answers every kind of path as Wagtail's own view does (live,
withdrawn, private, a sub-path, unknown, another language) and that it reads
no Site, Locale or home-page row from the database.
"""

from django.http import Http404, HttpResponse
from django.utils import translation
from wagtail import hooks
from wagtail.models import Site

from .page_cache import kept_with_public_pages


def _site_and_home(request) -> tuple[Site | None, object | None]:
    # Wagtail finds the site by host and port; the language picks the home page's translation.
    def find():
        site = Site.find_for_request(request)
        return site, (site.root_page.localized.specific if site is not None else None)

    key = f"serving:{request.get_host()}:{request.get_port()}:{translation.get_language()}"
    return kept_with_public_pages(key, find)


def site_for_request(request) -> Site | None:
    """The request's Wagtail Site, as `Site.find_for_request` answers it, read once per request from the cache."""
    if not hasattr(request, "cms_site"):
        request.cms_site, request.cms_home = _site_and_home(request)
    return request.cms_site


def home_for_request(request):
    """The home page of the request's site in the active language, as Wagtail's page view starts its routing."""
    site_for_request(request)
    return request.cms_home


def _serve_chain(page, request, args, kwargs):
    return page.serve(request, *args, **kwargs)


def serve(request, path):
    """Wagtail's page view (`wagtail.views.serve`), routing from the cached home page."""
    home = home_for_request(request)
    if home is None:
        raise Http404
    page, args, kwargs = home.route(request, [component for component in path.split("/") if component])

    on_serve_chain = _serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        on_serve_chain = fn(on_serve_chain)

    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result

    return on_serve_chain(page, request, args, kwargs)


def page_url(request, page) -> str | None:
    """What `{% pageurl page %}` gives (relative on the same site), with the request's Site from the cache."""
    if request is None:
        return page.url
    return page.relative_url(site_for_request(request), request=request)
