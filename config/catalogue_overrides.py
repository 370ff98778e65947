"""Strings of Django and its libraries that the project's catalogue corrects.

Never imported: `makemessages` reads these calls so that the entries stay in
locale/zh_Hans/LC_MESSAGES/django.po, where LOCALE_PATHS gives them
precedence over the libraries' own zh-hans catalogues. They make those
strings follow docs/chinese-style.md: 您 rather than 你, full-width colons.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = [
    # Form labels end in the label suffix; Django's zh-hans keeps the ASCII colon.
    gettext_noop(":"),
    # Django's password validators and forms address the reader as 你.
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    # django-allauth's zh-hans: ASCII colons and full stops, an English "Hello".
    gettext_noop("Enter your password:"),
    gettext_noop("Hello from %(site_name)s!"),
    gettext_noop("In case you forgot, your username is %(username)s."),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop(
        "You decided to cancel logging in to our site using one of your existing accounts. If this was a "
        'mistake, please proceed to <a href="%(login_url)s">sign in</a>.'
    ),
    gettext_noop(
        "If you do not recognize this change then please take proper security precautions immediately. "
        "The change to your account originates from:\n\n- IP address: %(ip)s\n- Browser: %(user_agent)s\n"
        "- Date: %(timestamp)s"
    ),
    # Wagtail's zh-hans catalogue lacks strings of the editors' dashboard ("30 Pages", "Search all pages…").
    gettext_noop("Search all pages…"),
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
        "counter",
    ),
    # ... and of the page explorer and the editor's side panels.
    gettext_noop("Date updated"),
    gettext_noop("Edited by"),
    gettext_noop("Has child pages"),
    gettext_noop("Page type"),
    gettext_noop("Usage count"),
    gettext_noop("Usage count: (high to low)"),
    gettext_noop("Usage count: (low to high)"),
    gettext_noop("Autosave is paused"),
    gettext_noop("Content metrics"),
    gettext_noop("Reading time"),
    gettext_noop("This data explained"),
    gettext_noop("Correct the validation errors to resume preview (saving will highlight errors)"),
    gettext_noop("Available in %(translations_total)s locales"),
    gettext_noop("Anyone can edit this %(model_name)s"),
]
