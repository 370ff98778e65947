import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from tests.factories.accounts import make_user
from training.models import CohortMembership, CohortRegion, Invitation, MembershipStatus
from training.selectors import invitation_get_by_token, invitation_token
from training.services import invitation_accept, invitation_create, invitation_resend

pytestmark = pytest.mark.django_db


def invite(world, email="new.person@example.com", **kwargs):
    return invitation_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        email=email,
        display_name=kwargs.pop("display_name", "新学员"),
        role=kwargs.pop("role", "trainee"),
        region=kwargs.pop("region", world.region_b),
        **kwargs,
    )


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S*invitations/\S+/)", message.body).group(1)


def test_an_invitation_e_mails_a_link_and_holds_a_seat(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(world)
    membership = invitation.membership
    assert membership.status == MembershipStatus.INVITED
    assert not membership.user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["new.person@example.com"]
    assert link_in(message) == f"/invitations/{invitation_token(invitation=invitation)}/"


def test_accepting_as_a_new_person_sets_a_password_signs_in_and_verifies_the_e_mail(
    client, world, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    with django_capture_on_commit_callbacks(execute=True):
        invite(world)
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "password1" in page.content.decode()
    response = client.post(
        link,
        {
            "display_name": "王芳",
            "preferred_language": "en",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password("a-long-pass-phrase-9")
    assert user.display_name == "王芳"
    assert CohortMembership.objects.get(user=user).status == MembershipStatus.ACTIVE
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/dashboard/").status_code == 200  # signed in


def test_a_weak_password_is_refused_and_nothing_changes(client, world):
    invitation = invite(world)
    response = client.post(
        f"/en/invitations/{invitation_token(invitation=invitation)}/",
        {"display_name": "王芳", "preferred_language": "zh-hans", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 200
    invitation.membership.refresh_from_db()
    assert invitation.membership.status == MembershipStatus.INVITED


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("preferred_language", "fr", "Select a valid choice. fr is not one of the available choices."),
        ("display_name", "   ", "This field is required."),
        ("display_name", "王" * 101, "Ensure this value has at most 100 characters (it has 101)."),
    ],
)
def test_a_new_persons_name_and_language_are_checked_with_a_clear_message_and_nothing_changes(
    client, world, field, value, message
):
    invitation = invite(world)
    data = {"display_name": "王芳", "preferred_language": "en", "password1": "a-long-pass-phrase-9"}
    data["password2"] = data["password1"]
    response = client.post(f"/en/invitations/{invitation_token(invitation=invitation)}/", {**data, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'id="id_{field}_error"' in response.content.decode()
    invitation.membership.refresh_from_db()
    assert invitation.membership.status == MembershipStatus.INVITED
    assert not invitation.membership.user.has_usable_password()


def test_an_existing_account_is_asked_to_sign_in_then_accepts(client, world):
    invitation = invite(world, email=world.other_trainee.email, region=world.region_a)
    link = f"/en/invitations/{invitation_token(invitation=invitation)}/"
    assert "Sign in to accept" in client.get(link).content.decode()
    client.force_login(world.other_trainee)
    assert client.post(link).status_code == 302
    assert CohortMembership.objects.get(cohort=world.cohort, user=world.other_trainee).status == MembershipStatus.ACTIVE
    assert User.objects.filter(email=world.other_trainee.email).count() == 1


def test_an_invitation_cannot_be_accepted_by_someone_else(client, world):
    invitation = invite(world, email=world.other_trainee.email, region=world.region_a)
    client.force_login(world.trainee)
    response = client.post(f"/en/invitations/{invitation_token(invitation=invitation)}/")
    assert response.status_code == 403
    assert "Sign in with that address" in response.content.decode()
    assert (
        CohortMembership.objects.get(cohort=world.cohort, user=world.other_trainee).status == MembershipStatus.INVITED
    )


def test_an_expired_invitation_says_so_in_the_readers_language(client, world):
    invitation = invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    link = f"/invitations/{invitation_token(invitation=invitation)}/"
    assert "过期" in client.get(link).content.decode()
    response = client.get("/en" + link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    invitation.membership.refresh_from_db()
    assert invitation.membership.status == MembershipStatus.INVITED


def test_a_used_invitation_cannot_be_used_again(client, world):
    invitation = invite(world, email=world.other_trainee.email, region=world.region_a)
    invitation_accept(invitation=invitation, acting_user=world.other_trainee)
    with pytest.raises(ValidationError, match="已被使用"):
        invitation_accept(invitation=invitation, acting_user=world.other_trainee)
    client.force_login(world.other_trainee)
    response = client.get(f"/en/invitations/{invitation_token(invitation=invitation)}/")
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_a_resend_replaces_the_old_link(client, world):
    first = invite(world)
    old_token = invitation_token(invitation=first)
    second = invitation_resend(invitation=first, acting_user=world.coordinator)
    response = client.get(f"/en/invitations/{old_token}/")
    assert response.status_code == 410
    assert "replaced by a newer one" in response.content.decode()
    assert invitation_get_by_token(token=invitation_token(invitation=second)) == second


def test_a_forged_link_is_refused_clearly(client, world):
    invitation = invite(world)
    token = invitation_token(invitation=invitation)
    response = client.get(f"/en/invitations/{token[:-3]}abc/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_inviting_into_a_full_region_is_refused(world):
    CohortRegion.objects.filter(cohort=world.cohort, region=world.region_b).update(quota=1)
    with pytest.raises(ValidationError, match="no seats left|名额"):
        invite(world)
    assert not User.objects.filter(email="new.person@example.com", memberships__isnull=False).exists()


def test_inviting_a_current_member_again_is_refused(world):
    with pytest.raises(ValidationError):
        invite(world, email=world.trainee.email)


def test_the_dashboard_lists_my_pending_invitations(client, world):
    invite(world, email=world.other_trainee.email, region=world.region_a)
    client.force_login(world.other_trainee)
    assert "First cohort" in client.get("/en/dashboard/").content.decode()


def test_the_invitation_form_shows_field_errors(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        f"/en/cohorts/{world.cohort.pk}/invite/", {"display_name": "x", "email": "not-an-email", "role": "trainee"}
    )
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_withdrawn_membership_makes_its_invitation_useless(world):
    from training.services import membership_change

    invitation = invite(world)
    membership_change(membership=invitation.membership, acting_user=world.coordinator, status="withdrawn")
    invitation.refresh_from_db()
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, acting_user=invitation.membership.user)


def test_an_invitation_e_mail_is_written_in_the_invitees_language(world, django_capture_on_commit_callbacks):
    english = make_user(email="english@example.com", preferred_language="en", region=world.region_b)
    with django_capture_on_commit_callbacks(execute=True):
        invite(world, email=english.email)
    assert "You are invited" in mail.outbox[0].subject
