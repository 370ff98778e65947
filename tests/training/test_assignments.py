import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories.training import pdf_upload
from training.models import HoursEntry, Submission, SubmissionFile
from training.selectors import hours_total_for_trainee
from training.services import assignment_create, submission_create, submission_review

pytestmark = pytest.mark.django_db


def make_assignment(world, due_in=datetime.timedelta(days=7), reviewer="mentor", hours="4"):
    return assignment_create(
        cohort=world.cohort,
        acting_user=world.coordinator,
        data={
            "kind": "reflection",
            "title": "跟岗反思",
            "title_en": "Shadowing reflection",
            "due_at": timezone.now() + due_in,
            "reviewer": reviewer,
            "credit_hours": Decimal(hours),
        },
    )


def submit(world, assignment, **kwargs):
    return submission_create(
        assignment=assignment, acting_user=world.trainee, text=kwargs.pop("text", "我的反思"), **kwargs
    )


def test_a_trainee_submits_text_and_a_file(world):
    submission = submit(world, make_assignment(world), files=[pdf_upload("反思.pdf")])
    assert submission.status == Submission.Status.SUBMITTED
    assert not submission.is_late
    (upload,) = submission.files.all()
    assert upload.original_name == "反思.pdf"
    assert upload.content_type == "application/pdf"
    assert "反思" not in upload.file.name  # stored under a random name


def test_a_late_submission_is_accepted_and_marked_late(world):
    submission = submit(world, make_assignment(world, due_in=-datetime.timedelta(hours=1)))
    assert submission.is_late


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_saved(world, settings):
    settings.TRAINING_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="超过"):
        submit(world, make_assignment(world), files=[pdf_upload(size=2048)])
    assert not Submission.objects.exists()
    assert not SubmissionFile.objects.exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("macro.exe", b"MZ\x90\x00"),
        SimpleUploadedFile("fake.pdf", b"<html><script>alert(1)</script></html>"),
        SimpleUploadedFile("notes.txt", b"\x00\x01binary"),
    ],
    ids=["forbidden type", "content not matching name", "binary text"],
)
def test_a_forbidden_or_disguised_file_is_refused(world, upload):
    with pytest.raises(ValidationError):
        submit(world, make_assignment(world), files=[upload])
    assert not Submission.objects.exists()


def test_the_submission_form_shows_the_file_error_in_the_readers_language(client, world):
    assignment = make_assignment(world)
    client.force_login(world.trainee)
    response = client.post(
        f"/en/assignments/{assignment.pk}/submit/", {"text": "x", "files": [SimpleUploadedFile("virus.exe", b"MZ")]}
    )
    assert response.status_code == 400
    assert "is not an accepted type" in response.content.decode()
    response = client.post(
        f"/assignments/{assignment.pk}/submit/", {"text": "x", "files": [SimpleUploadedFile("virus.exe", b"MZ")]}
    )
    assert "virus.exe" in response.content.decode()
    assert not Submission.objects.exists()


def test_an_empty_submission_is_refused(world):
    with pytest.raises(ValidationError):
        submit(world, make_assignment(world), text="  ")


def test_only_trainees_submit(world):
    with pytest.raises(PermissionDenied):
        submission_create(assignment=make_assignment(world), acting_user=world.mentor, text="x")


def test_returned_work_is_resubmitted_as_a_new_attempt_and_then_accepted(world, django_capture_on_commit_callbacks):
    assignment = make_assignment(world, reviewer="coordinator")
    first = submit(world, assignment)
    with pytest.raises(ValidationError):
        submit(world, assignment)  # waiting for review
    with pytest.raises(ValidationError):
        submission_review(submission=first, acting_user=world.coordinator, accept=False, comment="")
    with django_capture_on_commit_callbacks(execute=True):
        submission_review(submission=first, acting_user=world.coordinator, accept=False, comment="请补充课堂观察的细节")
    (message,) = mail.outbox
    assert message.to == [world.trainee.email]
    assert "请补充课堂观察的细节" in message.body
    second = submit(world, assignment, text="补充后的反思")
    assert second.attempt == 2
    submission_review(submission=second, acting_user=world.coordinator, accept=True)
    assert hours_total_for_trainee(trainee=world.trainee) == Decimal("4")
    assert HoursEntry.objects.get().source == "assignment"
    with pytest.raises(ValidationError):
        submit(world, assignment)


def test_the_paired_mentor_reviews_and_an_unpaired_one_cannot(world, pairings):
    from tests.factories.accounts import make_user
    from tests.factories.training import add_member

    submission = submit(world, make_assignment(world, reviewer="mentor"))
    stranger = make_user(region=world.region_a)
    add_member(world.cohort, stranger, "mentor")
    with pytest.raises(PermissionDenied):
        submission_review(submission=submission, acting_user=stranger, accept=True)
    pairings(world.cohort, world.trainee, world.mentor)
    submission_review(submission=submission, acting_user=world.mentor, accept=True)
    submission.refresh_from_db()
    assert submission.status == "accepted"
    assert submission.reviewed_by == world.mentor


def test_a_mentor_reads_only_their_mentees_work(client, world, pairings):
    assignment = make_assignment(world)
    submit(world, assignment)
    client.force_login(world.mentor)
    assert "我的反思" not in client.get(f"/assignments/{assignment.pk}/").content.decode()
    pairings(world.cohort, world.trainee, world.mentor)
    page = client.get(f"/assignments/{assignment.pk}/").content.decode()
    assert "我的反思" in page
    assert "Review" in page or "审核" in page


def test_a_submitted_file_downloads_for_its_author_only_among_trainees(client, world):
    submission = submit(world, make_assignment(world), files=[pdf_upload()])
    upload = submission.files.get()
    client.force_login(world.trainee)
    response = client.get(f"/files/{upload.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(world.other_trainee)
    assert client.get(f"/files/{upload.pk}/").status_code == 404


def test_the_trainee_dashboard_lists_what_is_due(client, world):
    make_assignment(world)
    client.force_login(world.trainee)
    assert "Shadowing reflection" in client.get("/en/dashboard/").content.decode()
