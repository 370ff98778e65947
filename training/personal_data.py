"""Training's part of a person's data archive and of their erasure (accounts.personal_data)."""

from django.db.models import Q


def submission_files(person):
    from .models import SubmissionFile

    for upload in SubmissionFile.objects.filter(submission__trainee=person).select_related("submission"):
        yield f"submissions/{upload.submission_id}/{upload.pk}-{upload.original_name}", upload.file


def submission_file_rows(person):
    from accounts.personal_data import rows_of

    from .models import SubmissionFile

    return rows_of(SubmissionFile.objects.filter(submission__trainee=person).order_by("pk"))


def audit_entries_about(person):
    """Entries about the person's account and their memberships, whoever wrote them."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    from accounts.models import User

    from .models import CohortMembership

    memberships = [str(pk) for pk in CohortMembership.objects.filter(user=person).values_list("pk", flat=True)]
    about = Q(content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk))
    if memberships:
        about |= Q(content_type=ContentType.objects.get_for_model(CohortMembership), object_id__in=memberships)
    return [
        {
            "timestamp": entry.timestamp,
            "action": entry.action,
            "object": entry.label,
            "by": entry.user.get_full_name() if entry.user else "",
            "data": entry.data,
        }
        for entry in ModelLogEntry.objects.filter(about).select_related("user").order_by("timestamp", "pk")
    ]


def erase(person) -> None:
    """Certificates keep their code, hours and dates (partner regions verify them), not the name;
    the person's submissions lose their text and files, their invitations the address."""
    from .models import Certificate, Invitation, Submission, SubmissionFile

    Certificate.objects.filter(holder=person).update(holder_name="")
    Certificate.objects.filter(membership__user=person).update(holder_name="")
    for upload in SubmissionFile.objects.filter(submission__trainee=person):
        upload.file.delete(save=False)
    SubmissionFile.objects.filter(submission__trainee=person).delete()
    Submission.objects.filter(trainee=person).update(text="")
    Invitation.objects.filter(Q(membership__user=person) | Q(email__iexact=person.email)).update(
        email=f"erased-{person.pk}@erased.invalid"
    )


def register() -> None:
    from accounts.personal_data import register_eraser, register_files, register_section

    register_files(submission_files)
    register_section("training.submission_files", submission_file_rows)
    register_section("audit.entries_about_me", audit_entries_about)
    register_eraser(erase)
