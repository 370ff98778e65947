"""The project's URLs: the apps, the API, Wagtail and allauth, the health check."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from api.v1 import api as api_v1
from api.views import api_not_found, problem_type
from cms import serving
from credits.credentials import jwks_view as credit_keys

from . import health

# Wagtail's URLs as it lists them, its page view replaced by the one that routes from the Site and home page
# kept in the cache (cms.serving), under the same name and pattern.
wagtail_pages = [
    *(pattern for pattern in wagtail_urls.urlpatterns if getattr(pattern, "name", None) != "wagtail_serve"),
    re_path(serve_pattern, serving.serve, name="wagtail_serve"),
]

# Both admins sign in through allauth, so that its rate limits and
# two-factor authentication apply to them too.
admin_login_redirect = RedirectView.as_view(pattern_name="account_login", query_string=True)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("cms-admin/login/", admin_login_redirect, name="cms_admin_login"),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("django-admin/login/", admin_login_redirect, name="django_admin_login"),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", health.robots_txt, name="robots"),
    # The public keys that verify the platform's signed credentials (see credits.credentials).
    path(".well-known/jwks.json", credit_keys, name="credits-jwks"),
    # Pages describing each problem `type` the API answers with; before the API, which would 404 them.
    path("api/v1/problems/<slug:slug>/", problem_type, name="api-problem-type"),
    path("api/v1/", api_v1.urls),
    # Anything else under /api/ answers a problem document, not the HTML 404 page.
    re_path(r"^api/", api_not_found),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("account/tokens/", include("api.urls")),
    path("account/", include("accounts.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("credits/", include("credits.urls")),
    path("contests/", include("contests.urls")),
    path("region/", include("regional.urls")),
    path("notifications/", include("notifications.urls")),
    path("announcements/", include("announcements.urls")),
    path("mentorship/", include("mentorship.urls")),
    path("studios/", include("studios.urls")),
    path("", include("training.urls")),
    path("site/", include("cms.urls")),
    # Wagtail's own sign-in form for private pages is replaced by allauth's.
    path("_util/login/", admin_login_redirect, name="frontend_login"),
    # Wagtail's catch-all comes last.
    path("", include(wagtail_pages)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
