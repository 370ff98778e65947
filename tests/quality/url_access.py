"""Every named URL, declared: public, or who gets what.

Add each new URL here in the same commit as the view. `test_url_access`
fails for a URL that is in neither PUBLIC nor MATRIX nor covered by a
THIRD_PARTY prefix, so nobody can add an unprotected page by forgetting.

The declarations drive more than the matrix: every response of the matrix
is scanned for the other cohort's names and e-mail addresses
(`test_url_access`), every POST must carry a CSRF token (`test_csrf`), and
every form found on a declared page is attacked with extra fields
(`test_mass_assignment`), random input (`test_fuzz_forms`) and script
payloads (`test_xss`). If a path needs an object (a pairing, a session
log), create it in `prepare_world` below, in both cohorts where it makes
sense, so the other side's object can be declared too.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from tests.factories.mentorship import mentorship_world as mw
from tests.factories.training import training_world as tw

ROLES = [
    "anonymous",
    "trainee",
    "mentor",
    "coordinator",
    "other_coordinator",
    "regional_admin",
    "editor",
    "staff",
]
SIGNED_IN = ROLES[1:]


@dataclass(frozen=True)
class Access:
    path: Callable  # world -> path
    expect: dict[str, int]
    method: str = "get"
    data: Callable | None = None  # world -> form data
    # Text that only the roles answered 200 may see (a name, a private note);
    # the other cohort's names and e-mails are checked for every URL anyway.
    secret: Callable | None = field(default=None)
    # The API takes JSON bodies; the pages take form data.
    json: bool = False

    def send(self, client, world):
        data = self.data(world) if self.data else {}
        if self.json:
            return getattr(client, self.method)(self.path(world), data, content_type="application/json")
        return getattr(client, self.method)(self.path(world), data)


def everyone_signed_in(status: int = 200, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, status)}


def only(allowed: dict[str, int], otherwise: int, anonymous: int = 302) -> dict[str, int]:
    expect = {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, otherwise)}
    expect.update(allowed)
    return expect


# name -> path builder; each answers 200 (or a redirect to its real page) to anybody.
PUBLIC: dict[str, tuple[Callable, int]] = {
    "healthz": (lambda w: "/healthz", 200),
    "wagtail_serve": (lambda w: "/", 200),
    "cms_admin_login": (lambda w: "/cms-admin/login/", 302),
    "frontend_login": (lambda w: "/_util/login/", 302),
    "django_admin_login": (lambda w: "/django-admin/login/", 302),
    "account_login": (lambda w: "/accounts/login/", 200),
    "account_signup": (lambda w: "/accounts/signup/", 200),
    "account_reset_password": (lambda w: "/accounts/password/reset/", 200),
    "account_reset_password_done": (lambda w: "/accounts/password/reset/done/", 200),
    "account_reset_password_from_key_done": (lambda w: "/accounts/password/reset/key/done/", 200),
    "account_email_verification_sent": (lambda w: "/accounts/confirm-email/", 200),
    "account_inactive": (lambda w: "/accounts/inactive/", 200),
    "training:certificate-lookup": (lambda w: "/verify/", 200),
    "cms:news-feed": (lambda w: "/site/news.rss", 200),
    "sitemap": (lambda w: "/sitemap.xml", 200),
    "robots": (lambda w: "/robots.txt", 200),
    "cms:events-feed": (lambda w: "/site/events.ics", 200),
    "cms:search": (lambda w: "/site/search/?q=%E5%BD%B1%E5%AD%90", 200),
    # Sets the language cookie and redirects to the page in that language.
    "cms:language-switch": (lambda w: "/site/language/en/?next=/en/", 302),
    "training:certificate-verify": (lambda w: f"/verify/{tw(w).certificate.code}/", 200),
    # The API's schema and documentation describe endpoints, never data.
    "api-v1:openapi-json": (lambda w: "/api/v1/schema/", 200),
    "api-v1:openapi-view": (lambda w: "/api/v1/docs/", 200),
    "api-v1:api-root": (lambda w: "/api/v1/", 404),
    "api-v1:certificate_verify": (lambda w: f"/api/v1/certificates/verify/{tw(w).certificate.code}/", 200),
    # What each problem `type` of the API means; no data.
    "api-problem-type": (lambda w: "/api/v1/problems/not-found/", 200),
}

# Public pages that need a key or a pending sign-in to show anything.
PUBLIC_WITH_TOKEN: dict[str, str] = {
    "set_language": "POST only; switches the language of the page you are on",
    "account_reset_password_from_key": "needs a reset key from an e-mail; a bad key shows an error page",
    "account_confirm_email": "needs a confirmation key from an e-mail",
    "account_confirm_login_code": "only during a sign-in by code, otherwise redirects to login",
    "mfa_authenticate": "only during a sign-in that asks for a second factor",
    "wagtailcore_authenticate_with_password": "password form of a password-protected page; needs its restriction id",
    "wagtailcore_login": "shadowed by frontend_login, which sends private-page visitors to allauth",
    "notifications:unsubscribe": "needs a signed token from an e-mail; a forged or expired one shows an error page (tests/notifications/test_email.py)",
    "simple_translation:submit_page_translation": "Wagtail admin view, mounted under /cms-admin/",
    "simple_translation:submit_snippet_translation": "Wagtail admin view, mounted under /cms-admin/",
    "training:invitation-accept": "needs a signed invitation token; tests/training/test_invitations.py",
    "training:calendar-feed": "needs a person's secret feed token; tests/training/test_calendar_feeds.py",
    "training:cohort-calendar-feed": "needs a coordinator's secret feed token; tests/training/test_calendar_feeds.py",
}

# Whole groups owned by a well-kept library, with how they are protected.
THIRD_PARTY: dict[str, str] = {
    "/cms-admin/": "Wagtail admin: require_admin_access, sign-in through allauth, staff need 2FA",
    "/django-admin/": "Django admin: staff only, sign-in through allauth, staff need 2FA",
    "/documents/": "Wagtail documents: served through Wagtail's privacy checks",
}


def prepare_world(world) -> None:
    """Create the objects the paths below refer to, as attributes of `world`."""
    from notifications.services import notification_send

    world.trainee_notification = notification_send(
        recipient=world.trainee, kind="announcement", context={"title": "仅学员可见"}
    )
    from api.services import api_token_create

    world.trainee_token = api_token_create(acting_user=world.trainee, name="学员甲的系统", scope="write").token
    prepare_events(world)
    for module in APP_DECLARATIONS:
        if hasattr(module, "prepare"):
            module.prepare(world)


def prepare_events(world) -> None:
    """An event hosted by region A with an outsider registered, and the trainee's own place at another."""
    from cms import services as cms_services
    from tests.factories import cms as pages
    from tests.factories.accounts import make_user

    index = pages.event_index(world.home_page)
    world.event = pages.event_page(index, n=1, capacity=5, host_region=world.region_a)
    outsider = make_user(email="outsider@example.com", display_name="外省来宾")
    cms_services.event_register(event=world.event, acting_user=outsider)
    other_event = pages.event_page(index, n=2, capacity=5, host_region=world.region_b)
    world.trainee_registration = cms_services.event_register(event=other_event, acting_user=world.trainee)


MATRIX: dict[str, Access] = {
    "accounts:profile": Access(path=lambda w: "/account/profile/", expect=everyone_signed_in()),
    # Why two-factor authentication is asked of me: everyone may read it (it says so when nothing is asked).
    "accounts:two-factor": Access(path=lambda w: "/account/two-factor/", expect=everyone_signed_in()),
    "dashboard:home": Access(path=lambda w: "/dashboard/", expect=everyone_signed_in()),
    "notifications:inbox": Access(path=lambda w: "/notifications/", expect=everyone_signed_in()),
    "notifications:mark-all-read": Access(
        path=lambda w: "/notifications/read-all/", method="post", expect=everyone_signed_in(302)
    ),
    "notifications:preferences": Access(path=lambda w: "/notifications/preferences/", expect=everyone_signed_in()),
    # The trainee's own notification: everyone else gets 404.
    "notifications:mark-read": Access(
        path=lambda w: f"/notifications/{w.trainee_notification.pk}/read/",
        method="post",
        expect=only({"trainee": 302}, otherwise=404),
    ),
    "account_logout": Access(path=lambda w: "/accounts/logout/", expect=everyone_signed_in(200)),
    "account_email": Access(path=lambda w: "/accounts/email/", expect=everyone_signed_in()),
    "account_change_password": Access(path=lambda w: "/accounts/password/change/", expect=everyone_signed_in()),
    # People who already have a password are sent to change it instead.
    "account_set_password": Access(path=lambda w: "/accounts/password/set/", expect=everyone_signed_in(302)),
    "account_reauthenticate": Access(path=lambda w: "/accounts/reauthenticate/", expect=everyone_signed_in()),
    "account_request_reauthentication_code": Access(
        path=lambda w: "/accounts/reauthenticate/code/", expect=everyone_signed_in(302)
    ),
    "account_confirm_reauthentication_code": Access(
        path=lambda w: "/accounts/reauthenticate/code/confirm/", expect=everyone_signed_in(302)
    ),
    "mfa_index": Access(path=lambda w: "/accounts/2fa/", expect=everyone_signed_in()),
    # allauth asks a force-logged-in person to re-enter their password first.
    "mfa_activate_totp": Access(path=lambda w: "/accounts/2fa/totp/activate/", expect=everyone_signed_in(302)),
    "mfa_deactivate_totp": Access(path=lambda w: "/accounts/2fa/totp/deactivate/", expect=everyone_signed_in(404)),
    "mfa_reauthenticate": Access(path=lambda w: "/accounts/2fa/reauthenticate/", expect=everyone_signed_in(302)),
    # Recovery codes exist only once two-factor authentication is on.
    "mfa_view_recovery_codes": Access(path=lambda w: "/accounts/2fa/recovery-codes/", expect=everyone_signed_in(404)),
    "mfa_generate_recovery_codes": Access(
        path=lambda w: "/accounts/2fa/recovery-codes/generate/", expect=everyone_signed_in(302)
    ),
    "mfa_download_recovery_codes": Access(
        path=lambda w: "/accounts/2fa/recovery-codes/download/", expect=everyone_signed_in(404)
    ),
    # Mentorship: the pair and the cohort's coordinators (staff included) see a pairing; everyone else 404.
    "mentorship:host-profile": Access(path=lambda w: "/mentorship/host-profile/", expect=everyone_signed_in()),
    "mentorship:mentor-record": Access(path=lambda w: "/mentorship/record/", expect=everyone_signed_in()),
    "mentorship:preferences": Access(
        path=lambda w: f"/mentorship/cohorts/{w.cohort.pk}/preferences/", expect=only({"trainee": 200}, otherwise=404)
    ),
    "mentorship:cohort-pairings": Access(
        path=lambda w: f"/mentorship/cohorts/{mw(w).pairing.cohort_id}/pairings/",
        expect=only({"coordinator": 200, "staff": 200}, otherwise=404),
        secret=lambda w: "学员甲",
    ),
    "mentorship:matching": Access(
        path=lambda w: f"/mentorship/cohorts/{w.cohort.pk}/matching/",
        expect=only({"coordinator": 200, "staff": 200}, otherwise=404),
    ),
    "mentorship:cohort-evaluations": Access(
        path=lambda w: f"/mentorship/cohorts/{w.cohort.pk}/evaluations/",
        expect=only({"coordinator": 200, "staff": 200}, otherwise=404),
    ),
    "mentorship:host-certificates": Access(
        path=lambda w: f"/mentorship/cohorts/{w.cohort.pk}/host-certificates/",
        expect=only({"coordinator": 200, "staff": 200}, otherwise=404),
    ),
    "mentorship:batch-detail": Access(
        path=lambda w: f"/mentorship/batches/{mw(w).batch.pk}/",
        expect=only({"coordinator": 200, "staff": 200}, otherwise=404),
    ),
    "mentorship:pairing-detail": Access(
        path=lambda w: f"/mentorship/pairings/{mw(w).pairing.pk}/",
        expect=only({"trainee": 200, "mentor": 200, "coordinator": 200, "staff": 200}, otherwise=404),
        secret=lambda w: "甲组的秘密记录",
    ),
    "mentorship:pairing-approve": Access(
        path=lambda w: f"/mentorship/pairings/{mw(w).pairing.pk}/approve/",
        method="post",
        expect=only({"trainee": 302, "mentor": 302, "coordinator": 302, "staff": 302}, otherwise=404),
    ),
    "mentorship:pairing-agreement": Access(
        path=lambda w: f"/mentorship/pairings/{mw(w).pairing.pk}/agreement/",
        expect=only({"trainee": 200, "mentor": 200, "coordinator": 200, "staff": 200}, otherwise=404),
    ),
    # Only the mentor or a coordinator moves a pairing on; the trainee may not.
    "mentorship:pairing-status": Access(
        path=lambda w: f"/mentorship/pairings/{mw(w).pairing.pk}/status/",
        method="post",
        data=lambda w: {"action": "start"},
        expect=only({"trainee": 403, "mentor": 302, "coordinator": 302, "staff": 302}, otherwise=404),
    ),
    "mentorship:session-log-create": Access(
        path=lambda w: f"/mentorship/pairings/{mw(w).pairing.pk}/log/",
        expect=only({"trainee": 200, "mentor": 200, "coordinator": 403, "staff": 403}, otherwise=404),
    ),
    "mentorship:reflection-create": Access(
        path=lambda w: f"/mentorship/pairings/{mw(w).pairing.pk}/reflections/new/",
        expect=only({"trainee": 200, "mentor": 403, "coordinator": 403, "staff": 403}, otherwise=404),
    ),
    "mentorship:evaluation-form": Access(
        path=lambda w: f"/mentorship/pairings/{mw(w).pairing.pk}/evaluations/midpoint/mentor_rates_trainee/",
        expect=only({"trainee": 403, "mentor": 200, "coordinator": 403, "staff": 403}, otherwise=404),
    ),
    "mentorship:action-plan": Access(
        path=lambda w: f"/mentorship/pairings/{mw(w).pairing.pk}/action-plan/",
        expect=only({"trainee": 200, "mentor": 403, "coordinator": 403, "staff": 403}, otherwise=404),
    ),
    # The mentor logged it: only the trainee confirms; the trainee goes first and succeeds.
    "mentorship:session-log-review": Access(
        path=lambda w: f"/mentorship/logs/{mw(w).log.pk}/review/",
        method="post",
        data=lambda w: {"action": "confirm"},
        expect=only({"trainee": 302, "mentor": 403, "coordinator": 403, "staff": 403}, otherwise=404),
    ),
    "mentorship:reflection-detail": Access(
        path=lambda w: f"/mentorship/reflections/{mw(w).reflection.pk}/",
        expect=only({"trainee": 200, "mentor": 200, "coordinator": 200, "staff": 200}, otherwise=404),
        secret=lambda w: "学员甲的私人反思",
    ),
    "mentorship:check-in-record": Access(
        path=lambda w: f"/mentorship/check-ins/{mw(w).check_in.pk}/",
        method="post",
        expect=only({"trainee": 302, "mentor": 302, "coordinator": 403, "staff": 403}, otherwise=404),
    ),
}


# --- Training and the coordinator's dashboard -----------------------------------------
# world.cohort has the trainee, mentor and coordinator; the regional admin oversees the
# trainee's region; other_coordinator runs another cohort and must learn nothing of this one.
VIEWERS = {"trainee": 200, "mentor": 200, "coordinator": 200, "regional_admin": 200, "staff": 200}
MANAGERS = {"coordinator": 200, "staff": 200, "trainee": 403, "mentor": 403, "regional_admin": 403}
OVERSEERS = {"coordinator": 200, "regional_admin": 200, "staff": 200, "trainee": 403, "mentor": 403}


def managers(status: int = 200) -> dict[str, int]:
    return {**MANAGERS, "coordinator": status, "staff": status}


MATRIX.update(
    {
        "training:cohort-list": Access(path=lambda w: "/cohorts/", expect=everyone_signed_in()),
        "training:cohort-create": Access(
            path=lambda w: "/cohorts/new/",
            expect=only({"coordinator": 200, "other_coordinator": 200, "staff": 200}, otherwise=404),
        ),
        "training:cohort-detail": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/", expect=only(VIEWERS, otherwise=404)
        ),
        "training:cohort-edit": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/edit/", expect=only(MANAGERS, otherwise=404)
        ),
        "training:membership-list": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/members/", expect=only(OVERSEERS, otherwise=404)
        ),
        "training:membership-change": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/members/{tw(w).trainee_membership.pk}/",
            expect=only(MANAGERS, otherwise=404),
        ),
        "training:invitation-resend": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/members/{tw(w).invitation.membership_id}/resend/",
            method="post",
            expect=only(managers(302), otherwise=404),
        ),
        "training:invitation-create": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/invite/", expect=only(MANAGERS, otherwise=404)
        ),
        "training:import-create": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/import/", expect=only(MANAGERS, otherwise=404)
        ),
        "training:import-detail": Access(
            path=lambda w: f"/imports/{tw(w).record.pk}/",
            expect=only({"coordinator": 200, "staff": 200}, otherwise=404),
        ),
        "training:import-status": Access(
            path=lambda w: f"/imports/{tw(w).record.pk}/status/",
            expect=only({"coordinator": 200, "staff": 200}, otherwise=404),
        ),
        "training:cohort-apply": Access(path=lambda w: f"/cohorts/{w.cohort.pk}/apply/", expect=everyone_signed_in()),
        "training:application-list": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/applications/", expect=only(MANAGERS, otherwise=404)
        ),
        "training:application-decide": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/applications/{tw(w).application.pk}/",
            method="post",
            data=lambda w: {"decision": "decline", "note": "名额已满"},
            expect=only(managers(302), otherwise=404),
        ),
        "training:schedule": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/schedule/", expect=only(VIEWERS, otherwise=404)
        ),
        "training:schedule-item-create": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/schedule/new/", expect=only(MANAGERS, otherwise=404)
        ),
        "training:schedule-item-detail": Access(
            path=lambda w: f"/schedule/{tw(w).item.pk}/", expect=only(VIEWERS, otherwise=404)
        ),
        "training:schedule-item-edit": Access(
            path=lambda w: f"/schedule/{tw(w).item.pk}/edit/", expect=only(MANAGERS, otherwise=404)
        ),
        "training:schedule-item-cancel": Access(
            path=lambda w: f"/schedule/{tw(w).item.pk}/cancel/",
            method="post",
            data=lambda w: {"reason": "暴雨"},
            expect=only(managers(302), otherwise=404),
        ),
        "training:attendance": Access(
            path=lambda w: f"/schedule/{tw(w).item.pk}/attendance/", expect=only(MANAGERS, otherwise=404)
        ),
        "training:check-in-code": Access(
            path=lambda w: f"/schedule/{tw(w).item.pk}/check-in-code/", expect=only(MANAGERS, otherwise=404)
        ),
        "training:check-in": Access(
            path=lambda w: f"/check-in/{tw(w).item.pk}/not-today/", expect=only(VIEWERS, otherwise=404)
        ),
        "training:calendar-address": Access(
            path=lambda w: "/calendar/address/", method="post", expect=everyone_signed_in(302)
        ),
        "training:assignment-list": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/assignments/", expect=only(VIEWERS, otherwise=404)
        ),
        "training:assignment-create": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/assignments/new/", expect=only(MANAGERS, otherwise=404)
        ),
        "training:assignment-detail": Access(
            path=lambda w: f"/assignments/{tw(w).assignment.pk}/", expect=only(VIEWERS, otherwise=404)
        ),
        "training:assignment-edit": Access(
            path=lambda w: f"/assignments/{tw(w).assignment.pk}/edit/", expect=only(MANAGERS, otherwise=404)
        ),
        # Only trainees submit; the others may see the assignment but not hand anything in.
        "training:submission-create": Access(
            path=lambda w: f"/assignments/{tw(w).open_assignment.pk}/submit/",
            method="post",
            data=lambda w: {"text": "我的行动计划"},
            expect=only(
                {"trainee": 302, "mentor": 403, "coordinator": 403, "regional_admin": 403, "staff": 403}, otherwise=404
            ),
        ),
        # The mentor reviews only a paired mentee's work; no pairing exists in this world.
        "training:submission-review": Access(
            path=lambda w: f"/submissions/{tw(w).submission.pk}/review/",
            method="post",
            data=lambda w: {"decision": "return", "comment": "请补充"},
            # The world's mentor is the trainee's (mentorship_world); an unpaired mentor gets 404
            # (tests/training/test_assignments.py).
            expect=only({"mentor": 302, "coordinator": 302, "staff": 302}, otherwise=404),
        ),
        "training:submission-file": Access(
            path=lambda w: f"/files/{tw(w).file.pk}/",
            expect=only(
                {"trainee": 200, "mentor": 200, "coordinator": 200, "regional_admin": 200, "staff": 200}, otherwise=404
            ),
        ),
        "training:sign-off": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/sign-off/", expect=only(MANAGERS, otherwise=404)
        ),
        "training:certificate-list": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/certificates/", expect=only(OVERSEERS, otherwise=404)
        ),
        "training:certificate-pdf": Access(
            path=lambda w: f"/certificates/{tw(w).certificate.pk}/pdf/",
            expect=only({"trainee": 200, "coordinator": 200, "regional_admin": 200, "staff": 200}, otherwise=404),
        ),
        "training:certificate-revoke": Access(
            path=lambda w: f"/certificates/{tw(w).certificate.pk}/revoke/",
            method="post",
            data=lambda w: {"reason": "材料不实"},
            expect=only({"coordinator": 302, "staff": 302}, otherwise=404),
        ),
        "training:hours-export": Access(
            path=lambda w: f"/cohorts/{w.cohort.pk}/hours.csv", expect=only(OVERSEERS, otherwise=404)
        ),
        "training:audit": Access(path=lambda w: f"/cohorts/{w.cohort.pk}/audit/", expect=only(MANAGERS, otherwise=404)),
        "dashboard:cohort-overview": Access(
            path=lambda w: f"/dashboard/cohorts/{w.cohort.pk}/", expect=only(OVERSEERS, otherwise=404)
        ),
        # Event desks: staff, editors, and coordinators or administrators of the host region (region A).
        "cms:event-register": Access(
            path=lambda w: f"/site/events/{w.event.pk}/register/", method="post", expect=everyone_signed_in(302)
        ),
        "cms:event-check-in": Access(
            path=lambda w: f"/site/events/{w.event.pk}/check-in/",
            expect=only({"coordinator": 200, "editor": 200, "staff": 200}, otherwise=404),
        ),
        "cms:registrant-export": Access(
            path=lambda w: f"/site/events/{w.event.pk}/registrants.csv",
            expect=only({"coordinator": 200, "editor": 200, "staff": 200}, otherwise=404),
            secret=lambda w: "外省来宾",
        ),
        # Where a change message leads: one's own registration, or the event page for anyone else.
        "cms:my-registration": Access(
            path=lambda w: f"/site/events/{w.event.pk}/my-registration/", expect=everyone_signed_in(302)
        ),
        "cms:registration-detail": Access(
            path=lambda w: f"/site/registrations/{w.trainee_registration.pk}/",
            expect=only({"trainee": 200}, otherwise=404),
        ),
        "cms:registration-cancel": Access(
            path=lambda w: f"/site/registrations/{w.trainee_registration.pk}/cancel/",
            method="post",
            expect=only({"trainee": 302}, otherwise=404),
        ),
        "dashboard:cohort-overview-export": Access(
            path=lambda w: f"/dashboard/cohorts/{w.cohort.pk}/export.csv", expect=only(OVERSEERS, otherwise=404)
        ),
    }
)


# --- The API (session-authenticated here; tokens in tests/api) ------------------------
# Anonymous callers get 401 problem documents instead of a redirect to the sign-in page.


def api_only(allowed: dict[str, int], otherwise: int = 404) -> dict[str, int]:
    return only(allowed, otherwise=otherwise, anonymous=401)


_bulk_rows = iter(range(1_000_000))


def _bulk_data(w) -> dict:
    # Each role that may write sends new people, so a later role is not refused as a duplicate.
    n = next(_bulk_rows)
    return {"rows": [{"name": f"新学员{n}", "email": f"new{n}@example.com", "role": "trainee", "region": "sh"}]}


def _my_pairings(w) -> str:
    mw(w)  # pairings in the cohort, so that the leak scan has something to find
    return "/api/v1/pairings/"


MATRIX.update(
    {
        "api:tokens": Access(path=lambda w: "/account/tokens/", expect=everyone_signed_in()),
        "api:token-revoke": Access(
            path=lambda w: f"/account/tokens/{w.trainee_token.pk}/revoke/",
            method="post",
            expect=only({"trainee": 302}, otherwise=404),
        ),
        "api-v1:programme_list": Access(path=lambda w: "/api/v1/programmes/", expect=everyone_signed_in(200, 401)),
        "api-v1:cohort_list": Access(path=lambda w: "/api/v1/cohorts/", expect=everyone_signed_in(200, 401)),
        "api-v1:cohort_detail": Access(path=lambda w: f"/api/v1/cohorts/{w.cohort.pk}/", expect=api_only(VIEWERS)),
        "api-v1:schedule": Access(path=lambda w: f"/api/v1/cohorts/{w.cohort.pk}/schedule/", expect=api_only(VIEWERS)),
        "api-v1:membership_list": Access(
            path=lambda w: f"/api/v1/cohorts/{w.cohort.pk}/memberships/", expect=api_only(OVERSEERS)
        ),
        "api-v1:membership_bulk_create": Access(
            path=lambda w: f"/api/v1/cohorts/{w.cohort.pk}/memberships/",
            method="post",
            json=True,
            data=_bulk_data,
            expect=api_only(managers(201)),
        ),
        # The coordinator's membership page's rule: viewers who do not coordinate 403, the other cohort 404.
        "api-v1:membership_update": Access(
            path=lambda w: f"/api/v1/memberships/{tw(w).trainee_membership.pk}/",
            method="patch",
            json=True,
            data=lambda w: {"status": "accepted", "note": "按协议调整"},
            expect=api_only(managers(200)),
        ),
        "api-v1:membership_withdraw": Access(
            path=lambda w: f"/api/v1/memberships/{tw(w).trainee_membership.pk}/withdraw/",
            method="post",
            json=True,
            data=lambda w: {"note": "本人申请退出"},
            expect=api_only(managers(200)),
        ),
        "api-v1:hours_by_region": Access(
            path=lambda w: f"/api/v1/cohorts/{w.cohort.pk}/hours/", expect=api_only(OVERSEERS)
        ),
        # The trainee's own ledger: themselves, the coordinator, and the admin of their region.
        "api-v1:hours_ledger": Access(
            path=lambda w: f"/api/v1/cohorts/{w.cohort.pk}/people/{w.trainee.pk}/hours/",
            expect=api_only({"trainee": 200, "coordinator": 200, "regional_admin": 200, "staff": 200}),
        ),
        "api-v1:certificate_list_own": Access(
            path=lambda w: "/api/v1/certificates/", expect=everyone_signed_in(200, 401)
        ),
        "api-v1:cohort_pairing_list": Access(
            path=lambda w: f"/api/v1/cohorts/{mw(w).pairing.cohort_id}/pairings/",
            expect=api_only({"coordinator": 200, "staff": 200}),
        ),
        # Everyone lists the pairings they may see; the leak scan checks nobody sees the other cohort's.
        "api-v1:pairing_list": Access(path=_my_pairings, expect=everyone_signed_in(200, 401)),
        "api-v1:pairing_detail": Access(
            path=lambda w: f"/api/v1/pairings/{mw(w).pairing.pk}/",
            expect=api_only({"trainee": 200, "mentor": 200, "coordinator": 200, "staff": 200}),
        ),
        "api-v1:session_log_create": Access(
            path=lambda w: f"/api/v1/pairings/{mw(w).pairing.pk}/session-logs/",
            method="post",
            json=True,
            data=lambda w: {"occurred_on": str(timezone.localdate()), "hours": "1.0", "kind": "observation"},
            expect=api_only({"trainee": 201, "mentor": 201, "coordinator": 403, "staff": 403}),
        ),
        # The mentor logged it: only the trainee confirms or disputes.
        "api-v1:session_log_confirm": Access(
            path=lambda w: f"/api/v1/session-logs/{mw(w).log.pk}/confirm/",
            method="post",
            expect=api_only({"trainee": 200, "mentor": 403, "coordinator": 403, "staff": 403}),
        ),
        "api-v1:session_log_dispute": Access(
            path=lambda w: f"/api/v1/session-logs/{mw(w).log.pk}/dispute/",
            method="post",
            json=True,
            data=lambda w: {"comment": "时长不对"},
            expect=api_only({"trainee": 200, "mentor": 403, "coordinator": 403, "staff": 403}),
        ),
        # The mentor wrote the log: only the author corrects it while it awaits confirmation.
        "api-v1:session_log_update": Access(
            path=lambda w: f"/api/v1/session-logs/{mw(w).log.pk}/",
            method="patch",
            json=True,
            data=lambda w: {"hours": "1.5"},
            expect=api_only({"trainee": 403, "mentor": 200, "coordinator": 403, "staff": 403}),
        ),
        "api-v1:notification_list": Access(
            path=lambda w: "/api/v1/notifications/", expect=everyone_signed_in(200, 401)
        ),
        "api-v1:notification_read": Access(
            path=lambda w: f"/api/v1/notifications/{w.trainee_notification.pk}/read/",
            method="post",
            expect=api_only({"trainee": 200}),
        ),
    }
)


# --- The other apps' declarations (tests/quality/access/<app>.py) ---------------------


def _app_declarations() -> list:
    import importlib
    import pkgutil

    from tests.quality import access

    names = sorted(info.name for info in pkgutil.iter_modules(access.__path__))
    return [importlib.import_module(f"{access.__name__}.{name}") for name in names]


APP_DECLARATIONS = _app_declarations()
for _module in APP_DECLARATIONS:
    for _declared, _attribute in ((PUBLIC, "PUBLIC"), (PUBLIC_WITH_TOKEN, "PUBLIC_WITH_TOKEN"), (MATRIX, "MATRIX")):
        _theirs = getattr(_module, _attribute, {})
        _twice = sorted(set(_declared) & set(_theirs))
        if _twice:
            raise RuntimeError(f"{_module.__name__} declares {_twice} again")
        _declared.update(_theirs)
