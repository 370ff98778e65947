"""The Wagtail Site answers on the configured public host, so that `page.full_url`, the sitemap,
og:url and moderation e-mails carry the real address, not the seeded `localhost:80`.

The host is WAGTAILADMIN_BASE_URL (the address Wagtail already puts in its e-mails): production
sets it to the public https address, the demo leaves its default, http://127.0.0.1:8000.
"""

from urllib.parse import urlsplit

from django.conf import settings


def configured_host() -> tuple[str, int]:
    """(hostname, port) of WAGTAILADMIN_BASE_URL; the scheme's default port when none is written."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "localhost", port


def site_follow_configured_host(**kwargs) -> None:
    """Point the default Site at the configured host (after each migrate, and when the demo is seeded)."""
    from wagtail.models import Site

    hostname, port = configured_host()
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])


def absolute_url(path: str) -> str:
    """A path on the configured public host."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
