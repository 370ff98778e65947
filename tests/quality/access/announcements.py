"""Announcements: written by coordinators, regional admins and staff; read by those they reached."""

from tests.quality.url_access import Access, only

SENDERS = {"coordinator": 200, "other_coordinator": 200, "regional_admin": 200, "staff": 200}


def prepare(world) -> None:
    """A draft of the coordinator's, and one sent to the cohort's trainees."""
    from announcements.services import announcement_create, announcement_send

    def write(title):
        return announcement_create(
            acting_user=world.coordinator,
            data={
                "scope": "cohort",
                "cohort": world.cohort,
                "roles": ["trainee"],
                "title": title,
                "body": "请按时参加。",
            },
        )

    world.draft_announcement = write("集中研修调整（草稿）")
    world.sent_announcement = announcement_send(announcement=write("集中研修调整"), acting_user=world.coordinator)


MATRIX = {
    "announcements:list": Access(path=lambda w: "/announcements/", expect=only(SENDERS, otherwise=404)),
    "announcements:new": Access(path=lambda w: "/announcements/new/", expect=only(SENDERS, otherwise=404)),
    "announcements:detail": Access(
        path=lambda w: f"/announcements/{w.draft_announcement.pk}/",
        expect=only({"coordinator": 200}, otherwise=404),
        secret=lambda w: "集中研修调整（草稿）",
    ),
    "announcements:send": Access(
        path=lambda w: f"/announcements/{w.draft_announcement.pk}/send/",
        method="post",
        expect=only({"coordinator": 302}, otherwise=404),
    ),
    "announcements:cancel": Access(
        path=lambda w: f"/announcements/{w.draft_announcement.pk}/cancel/",
        method="post",
        expect=only({"coordinator": 302}, otherwise=404),
    ),
    "announcements:read": Access(
        path=lambda w: f"/announcements/{w.sent_announcement.pk}/read/",
        expect=only({"trainee": 200, "coordinator": 200}, otherwise=404),
        secret=lambda w: "请按时参加。",
    ),
}
