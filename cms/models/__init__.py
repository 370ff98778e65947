"""The public site's models, one module per concept: the site's own pages, programmes, events (with speakers
and materials), news, and event registrations.

Every model is importable from `cms.models`, as before the split; migrations name the same classes.
"""

from .events import (
    EventIndexPage,
    EventKind,
    EventMaterial,
    EventPage,
    EventScheduleLink,
    EventSpeaker,
    Speaker,
)
from .news import NewsIndexPage, NewsPage
from .pages import HomePage, IndexPage, SitePage, StandardPage
from .programmes import ProgrammeIndexPage, ProgrammePage
from .registrations import (
    CODE_ALPHABET,
    EventChange,
    EventChangeStatus,
    EventRegistration,
    RegistrationStatus,
    new_registration_code,
)

__all__ = [
    "CODE_ALPHABET",
    "EventChange",
    "EventChangeStatus",
    "EventIndexPage",
    "EventKind",
    "EventMaterial",
    "EventPage",
    "EventRegistration",
    "EventScheduleLink",
    "EventSpeaker",
    "HomePage",
    "IndexPage",
    "NewsIndexPage",
    "NewsPage",
    "ProgrammeIndexPage",
    "ProgrammePage",
    "RegistrationStatus",
    "SitePage",
    "Speaker",
    "StandardPage",
    "new_registration_code",
]

# Migration 0002 names the check-in code default by its old path.
_new_code = new_registration_code
