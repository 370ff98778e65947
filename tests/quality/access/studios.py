"""Studios' URLs: the directory for everyone signed in; a studio's page for its members; its running for its leaders."""

from tests.factories.studios import lesson_study_world, platform_template_world, studio_world
from tests.quality.url_access import Access, everyone_signed_in, only


def prepare(world) -> None:
    studio_world(world)
    lesson_study_world(world)
    platform_template_world(world)


def _studio(w) -> str:
    return f"/studios/{w.studio.pk}/"


# The mentor co-leads; trainees are members (403 for leaders' actions); people outside the studio get 404.
MEMBERS = {"trainee": 200, "mentor": 200, "staff": 200}
LEADERS = {"trainee": 403, "mentor": 302, "staff": 302}

MATRIX = {
    "studios:list": Access(path=lambda w: "/studios/", expect=everyone_signed_in()),
    "studios:detail": Access(path=_studio, expect=only(MEMBERS, otherwise=404), secret=lambda w: "内部备课会"),
    # Anyone signed in may apply; members and applicants get a clear message and nothing changes.
    "studios:apply": Access(
        path=lambda w: _studio(w) + "apply/",
        method="post",
        data=lambda w: {"message": "想加入"},
        expect=everyone_signed_in(302),
    ),
    # Without an invitation: a clear message on the list.
    "studios:invitation-respond": Access(
        path=lambda w: _studio(w) + "invitation/",
        method="post",
        data=lambda w: {"decision": "accept"},
        expect=everyone_signed_in(302),
    ),
    "studios:invite": Access(
        path=lambda w: _studio(w) + "invite/",
        method="post",
        data=lambda w: {"email": "outsider-invitee@example.com"},
        expect=only(LEADERS, otherwise=404),
    ),
    "studios:application-decide": Access(
        path=lambda w: _studio(w) + f"applications/{w.studio_application.pk}/",
        method="post",
        data=lambda w: {"decision": "accept"},
        expect=only(LEADERS, otherwise=404),
    ),
    # Only the leader names co-leaders: the co-leading mentor gets 403 too.
    "studios:co-leader": Access(
        path=lambda w: _studio(w) + f"members/{w.studio_member_place.pk}/co-leader/",
        method="post",
        data=lambda w: {"co_leader": "1"},
        expect=only({"trainee": 403, "mentor": 403, "staff": 302}, otherwise=404),
    ),
    "studios:plan-themes": Access(
        path=lambda w: _studio(w) + "plan/themes/",
        method="post",
        data=lambda w: {"year": 2026, "themes": "大单元"},
        expect=only(LEADERS, otherwise=404),
    ),
    "studios:plan-activity": Access(
        path=lambda w: _studio(w) + "plan/activities/",
        method="post",
        data=lambda w: {"title": "线上评课", "date": "2026-05-01"},
        expect=only(LEADERS, otherwise=404),
    ),
    # The library is open to everyone: visitors see its public resources (tests/studios/test_resources.py).
    "studios:library": Access(path=lambda w: "/studios/library/", expect=everyone_signed_in(200, anonymous=200)),
    "studios:resource": Access(
        path=lambda w: f"/studios/resources/{w.studio_resource.pk}/",
        expect=only(MEMBERS, otherwise=404, anonymous=404),
        secret=lambda w: "工作室内部报告",
    ),
    "studios:resource-file": Access(
        path=lambda w: f"/studios/resources/{w.studio_resource.pk}/file/",
        expect=only(MEMBERS, otherwise=404, anonymous=404),
    ),
    # Only the author consents; anyone else is told there is nothing waiting for them.
    "studios:resource-consent": Access(
        path=lambda w: f"/studios/resources/{w.promoted_resource.pk}/consent/",
        method="post",
        data=lambda w: {"decision": "consent"},
        expect=everyone_signed_in(302),
    ),
    "studios:resource-add": Access(
        path=lambda w: _studio(w) + "resources/add/",
        expect=only(MEMBERS, otherwise=404),
        secret=lambda w: "单元作业设计",
    ),
    "studios:submission-promote": Access(
        path=lambda w: _studio(w) + f"submissions/{w.submission_to_promote.pk}/promote/",
        method="post",
        data=lambda w: {"visibility": "platform"},
        expect=only({"mentor": 302, "staff": 302}, otherwise=404),
    ),
    "studios:threads": Access(path=lambda w: _studio(w) + "threads/", expect=only(MEMBERS, otherwise=404)),
    "studios:thread-create": Access(
        path=lambda w: _studio(w) + "threads/new/",
        method="post",
        data=lambda w: {"title": "新话题", "body": "大家好"},
        expect=only({"trainee": 302, "mentor": 302, "staff": 302}, otherwise=404),
    ),
    "studios:thread": Access(
        path=lambda w: f"/studios/threads/{w.thread.pk}/",
        expect=only(MEMBERS, otherwise=404),
        secret=lambda w: "只在工作室里说的话",
    ),
    "studios:post-create": Access(
        path=lambda w: f"/studios/threads/{w.thread.pk}/reply/",
        method="post",
        data=lambda w: {"body": "同意"},
        expect=only({"trainee": 302, "mentor": 302, "staff": 302}, otherwise=404),
    ),
    "studios:thread-moderate": Access(
        path=lambda w: f"/studios/threads/{w.thread.pk}/moderate/",
        method="post",
        data=lambda w: {"action": "pin", "reason": "本月主题"},
        expect=only(LEADERS, otherwise=404),
    ),
    "studios:post-hide": Access(
        path=lambda w: f"/studios/posts/{w.post.pk}/hide/",
        method="post",
        data=lambda w: {"reason": "与主题无关"},
        expect=only(LEADERS, otherwise=404),
    ),
    # Members report (a second report by the same person gets a clear message).
    "studios:post-report": Access(
        path=lambda w: f"/studios/posts/{w.post.pk}/report/",
        method="post",
        data=lambda w: {"reason": "广告"},
        expect=only({"trainee": 302, "mentor": 302, "staff": 302}, otherwise=404),
    ),
    "studios:post-attachment": Access(
        path=lambda w: f"/studios/posts/{w.post.pk}/attachment/", expect=only(MEMBERS, otherwise=404)
    ),
}


# Lesson study: the studio's members take part; the leaders (the co-leading mentor, staff) run the cycle.
def _lesson(w) -> str:
    return f"/studios/lessons/{w.lesson.pk}/"


MATRIX.update(
    {
        "studios:cycles": Access(
            path=lambda w: _studio(w) + "cycles/", expect=only(MEMBERS, otherwise=404), secret=lambda w: "圆的认识"
        ),
        # A cohort's cycles: for those who see the cohort (its people, its regions' admins, staff).
        "studios:cohort-cycles": Access(
            path=lambda w: f"/studios/cohorts/{w.cohort.pk}/cycles/",
            expect=only(
                {"trainee": 200, "mentor": 200, "coordinator": 200, "regional_admin": 200, "staff": 200}, otherwise=404
            ),
        ),
        "studios:cycle": Access(
            path=lambda w: f"/studios/cycles/{w.cycle.pk}/",
            expect=only(MEMBERS, otherwise=404),
            secret=lambda w: "工作室内部教案",
        ),
        "studios:plan-version-add": Access(
            path=lambda w: f"/studios/cycles/{w.cycle.pk}/plan/",
            method="post",
            data=lambda w: {"body": "第二版：缩短导入"},
            expect=only({"trainee": 302, "mentor": 302, "staff": 302}, otherwise=404),
        ),
        "studios:plan-comment": Access(
            path=lambda w: f"/studios/plan-versions/{w.plan_version.pk}/comments/",
            method="post",
            data=lambda w: {"body": "同意"},
            expect=only({"trainee": 302, "mentor": 302, "staff": 302}, otherwise=404),
        ),
        "studios:lesson-schedule": Access(
            path=lambda w: f"/studios/cycles/{w.cycle.pk}/lessons/",
            method="post",
            data=lambda w: {
                "plan": w.other_plan.pk,
                "classroom": "合肥一中 录播教室",
                "starts_at": "2030-05-01T09:00",
                "ends_at": "2030-05-01T09:40",
                "hours": "2",
            },
            expect=only(LEADERS, otherwise=404),
        ),
        # Without a revised plan the cycle does not close: the leaders get the message.
        "studios:cycle-close": Access(
            path=lambda w: f"/studios/cycles/{w.cycle.pk}/close/", method="post", expect=only(LEADERS, otherwise=404)
        ),
        "studios:lesson": Access(path=_lesson, expect=only(MEMBERS, otherwise=404), secret=lambda w: "三楼录播教室"),
        # The trainee taught the lesson, so adds its recording too.
        "studios:lesson-recording": Access(
            path=lambda w: _lesson(w) + "recording/",
            method="post",
            data=lambda w: {"recording_link": "https://video.example.com/r/1"},
            expect=only({"trainee": 302, "mentor": 302, "staff": 302}, otherwise=404),
        ),
        "studios:lesson-check-in": Access(
            path=lambda w: _lesson(w) + "check-in/",
            method="post",
            data=lambda w: {"email": "trainee@example.com"},
            expect=only(LEADERS, otherwise=404),
        ),
        "studios:sheet": Access(path=lambda w: _lesson(w) + "sheet/", expect=only(MEMBERS, otherwise=404)),
        "studios:sheet-answer": Access(
            path=lambda w: _lesson(w) + "sheet/answer/",
            method="post",
            data=lambda w: {"item": w.items[1].pk, "value": "4"},
            expect=only(MEMBERS, otherwise=404),
        ),
        "studios:summary": Access(path=lambda w: _lesson(w) + "summary/", expect=only(MEMBERS, otherwise=404)),
        "studios:templates": Access(
            path=lambda w: _studio(w) + "observation-sheets/",
            expect=only({"trainee": 403, "mentor": 200, "staff": 200}, otherwise=404),
        ),
        "studios:template": Access(
            path=lambda w: f"/studios/observation-sheets/{w.template.pk}/",
            expect=only({"mentor": 200, "staff": 200}, otherwise=404),
        ),
        # The item already has an answer: the leaders are told it stays; nobody else finds it.
        "studios:item-remove": Access(
            path=lambda w: f"/studios/observation-items/{w.scored_item.pk}/remove/",
            method="post",
            expect=only({"mentor": 302, "staff": 302}, otherwise=404),
        ),
    }
)


# Observation sheet templates: the platform's are kept by staff and coordinators (of any cohort); signed-in
# people who keep neither get 403 (nothing there is secret). A studio's items move for its leaders only.
PLATFORM_EDITORS = {"coordinator": 200, "other_coordinator": 200, "staff": 200}

MATRIX.update(
    {
        "studios:platform-templates": Access(
            path=lambda w: "/studios/observation-sheets/", expect=only(PLATFORM_EDITORS, otherwise=403)
        ),
        "studios:template-copy": Access(
            path=lambda w: f"/studios/observation-sheets/{w.platform_template.pk}/copy/",
            method="post",
            expect=only(dict.fromkeys(PLATFORM_EDITORS, 302), otherwise=403),
        ),
        "studios:item-move": Access(
            path=lambda w: f"/studios/observation-items/{w.items[1].pk}/move/",
            method="post",
            data=lambda w: {"direction": "up"},
            expect=only({"mentor": 302, "staff": 302}, otherwise=404),
        ),
    }
)
