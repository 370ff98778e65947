from .discussion import post_get_for_member, post_page, thread_get_for_member, thread_page
from .resources import (
    LibraryFilters,
    library_page,
    resource_get_for_viewer,
    resources_awaiting_consent,
    resources_visible_to,
    submissions_to_promote,
)
from .studios import (
    studio_directory,
    studio_get_for_member,
    studio_get_visible,
    studio_overview,
    studio_public_summary,
    studios_of_person,
)

__all__ = [
    "post_get_for_member",
    "post_page",
    "thread_get_for_member",
    "thread_page",
    "LibraryFilters",
    "library_page",
    "resource_get_for_viewer",
    "resources_awaiting_consent",
    "resources_visible_to",
    "submissions_to_promote",
    "studio_directory",
    "studio_get_for_member",
    "studio_get_visible",
    "studio_overview",
    "studio_public_summary",
    "studios_of_person",
]
