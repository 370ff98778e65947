"""Header tags every template uses: the language links and the public sections of the main menu.

Both are plain links, so that a public page carries no form, no CSRF token
and no cookie and can be kept by shared caches.
"""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from wagtail.models import Page

register = template.Library()


def _home_path(language: str) -> str:
    with translation.override(language):
        return reverse("wagtail_serve", args=[""])


def _translated_path(*, request, page, language: str) -> str:
    """The same page in another language: the page's translation, else that language's home page."""
    from .. import selectors
    from ..page_cache import kept_with_public_pages

    if isinstance(page, Page):
        # Every rendered page shows this link; like the menu, it changes only when something is published.
        def target_path():
            target = selectors.page_translation_live(page=page, language=language, request=request)
            return target.get_url(request) if target else _home_path(language)

        return kept_with_public_pages(f"translation-link:{page.pk}:{language}:{request.get_host()}", target_path)
    current = request.get_full_path()
    translated = translate_url(current, language)
    if translated == current and translation.get_language() != language:
        # Not one of our URLs (a 404 page): the other language starts at its home page.
        return _home_path(language)
    return translated


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per other language, through the view that remembers the choice in the language cookie."""
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        target = _translated_path(request=request, page=context.get("page"), language=code)
        switch = reverse("cms:language-switch", kwargs={"language": code})
        links.append({"code": code, "name": name, "url": f"{switch}?{urlencode({'next': target})}"})
    return links


@register.simple_tag(takes_context=True)
def main_sections(context) -> list[dict]:
    """The programme, event and news index pages in the reader's language, for the main menu."""
    from .. import selectors
    from ..page_cache import kept_with_public_pages

    request = context.get("request")
    if request is None:
        return []
    language = translation.get_language()

    def sections():
        return [
            (section.title, url)
            for section in selectors.section_list_for_menu(language=language, request=request)
            if (url := section.get_url(request))
        ]

    # Every page, signed in or not, shows the menu: kept with the public pages, a publication changes
    # it at once, and it costs no query the rest of the time.
    items = kept_with_public_pages(f"menu:{language}:{request.get_host()}", sections)
    return [{"title": title, "url": url, "current": request.path.startswith(url)} for title, url in items]


@register.inclusion_tag("includes/share_tags.html", takes_context=True)
def share_tags(context, title="", description="", image_path=""):
    """og:title, og:description, og:url and og:image on the configured public host, and the RSS feed's link.

    A Wagtail page gives its own title and description; programmes and events get their generated
    share card. Other views pass what they have; an empty title or description falls back to the site's.
    """
    from django.templatetags.static import static
    from django.utils.translation import gettext as _

    from cms.models import EventPage, ProgrammePage
    from cms.site_host import absolute_url

    request = context.get("request")
    page = context.get("page")
    site_name = _("Yingzi shadow training")
    default_description = _("Joint shadow principal and shadow teacher training across the Yangtze River Delta.")
    url = absolute_url(request.get_full_path()) if request is not None else absolute_url("/")
    if isinstance(page, Page):
        title = title or page.seo_title or page.title
        description = description or page.search_description or getattr(page, "summary", "")
        if isinstance(page, ProgrammePage | EventPage):
            image_path = image_path or reverse("cms:share-card", kwargs={"page_id": page.pk})
    return {
        "site_name": site_name,
        "title": title or site_name,
        "description": " ".join(str(description or default_description).split())[:200],
        "url": url,
        "image": absolute_url(image_path or static("img/share-card.png")),
        "feed": absolute_url(reverse("cms:news-feed")),
    }


@register.simple_tag(takes_context=True)
def page_url(context, page) -> str | None:
    """A link to a page, as Wagtail's `{% pageurl %}` writes it, without looking the request's Site up again."""
    from ..serving import page_url as url_for

    return url_for(context.get("request"), page)
