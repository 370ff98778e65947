import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import User
from tests.factories.accounts import SchoolFactory
from training.imports import error_message
from training.models import CohortMembership, CohortRegion, EnrolmentImport, Invitation, MembershipStatus
from training.services import enrolment_import_create, enrolment_import_run

pytestmark = pytest.mark.django_db

HEADER = ["name", "email", "role", "region", "school", "stage", "subject"]


def csv_file(rows, header=HEADER, name="people.csv", encoding="utf-8-sig"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, header=HEADER, name="people.xlsx"):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def run(world, upload, capture=None):
    record = enrolment_import_create(cohort=world.cohort, acting_user=world.coordinator, upload=upload)
    return enrolment_import_run(import_id=record.pk)


def good_rows(world):
    school = SchoolFactory(region=world.region_b, name="黄山脚下小学")
    return [
        ["王芳", "wangfang@example.cn", "trainee", "安徽省", school.name, "primary", "chinese、mathematics"],
        ["李强", "liqiang@example.cn", "学员", "ah", "", "", ""],
        ["陈红", "chenhong@example.cn", "导师", "Shanghai", "", "小学", "School leadership"],
        [world.other_trainee.get_full_name(), world.other_trainee.email.upper(), "coordinator", "上海", "", "", ""],
    ]


def test_a_valid_csv_invites_everyone_in_one_go(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = run(world, csv_file(good_rows(world)))
    assert record.status == EnrolmentImport.Status.DONE
    assert record.created_count == 4
    wang = User.objects.get(email="wangfang@example.cn")
    assert not wang.has_usable_password()
    assert wang.profile.school.name == "黄山脚下小学"
    assert wang.profile.subjects == ["chinese", "mathematics"]
    roles = dict(
        CohortMembership.objects.filter(cohort=world.cohort, status="invited").values_list("user__email", "role")
    )
    assert roles == {
        "wangfang@example.cn": "trainee",
        "liqiang@example.cn": "trainee",
        "chenhong@example.cn": "mentor",
        world.other_trainee.email: "coordinator",
    }
    assert Invitation.objects.filter(status="pending").count() == 4
    assert sorted(message.to[0] for message in mail.outbox) == sorted(roles)
    assert all("/invitations/" in message.body for message in mail.outbox)
    assert bytes(EnrolmentImport.objects.get(pk=record.pk).content) == b""  # the file is not kept


def test_an_xlsx_file_with_chinese_headers_imports_too(world):
    rows = [["赵六", "zhaoliu@example.cn", "学员", "安徽省", "", "", ""]]
    record = run(world, xlsx_file(rows, header=["姓名", "邮箱", "角色", "地区", "学校", "学段", "学科"]))
    assert record.status == "done"
    assert CohortMembership.objects.filter(user__email="zhaoliu@example.cn", status="invited").exists()


def test_one_bad_row_imports_nothing_and_every_problem_is_reported_by_row(world):
    rows = good_rows(world) + [
        ["重复", "wangfang@example.cn", "trainee", "安徽省", "", "", ""],
        ["无名地区", "x1@example.cn", "trainee", "火星", "", "", ""],
        ["外省", "x2@example.cn", "trainee", "Other province", "", "", ""],
        ["坏邮箱", "not-an-email", "trainee", "安徽省", "", "", ""],
        ["", "x3@example.cn", "校长", "安徽省", "不存在的学校", "大学", ""],
        [world.trainee.get_full_name(), world.trainee.email, "trainee", "安徽省", "", "", ""],
    ]
    from tests.factories.accounts import RegionFactory

    RegionFactory(code="zz", name="外省", name_en="Other province")
    users_before = User.objects.count()
    record = run(world, csv_file(rows))
    assert record.status == EnrolmentImport.Status.FAILED
    assert record.created_count == 0
    assert User.objects.count() == users_before
    assert not Invitation.objects.exists()
    assert not CohortMembership.objects.filter(status="invited").exists()
    found = {(error["row"], error["field"], error["code"]) for error in record.errors}
    assert found == {
        (6, "email", "duplicate_email"),
        (7, "region", "unknown_region"),
        (8, "region", "region_not_in_cohort"),
        (9, "email", "invalid_email"),
        (10, "name", "required"),
        (10, "role", "unknown_role"),
        (10, "school", "unknown_school"),
        (10, "stage", "unknown_stage"),
        (11, "email", "already_member"),
    }


def test_errors_read_in_the_readers_language(world):
    record = run(world, csv_file([["甲", "a@example.cn", "trainee", "火星", "", "", ""]]))
    (error,) = record.errors
    with translation.override("en"):
        assert error_message(error) == "Unknown region “火星”."
    with translation.override("zh-hans"):
        assert "未知" in error_message(error) or "火星" in error_message(error)


def test_rows_beyond_a_regions_quota_are_errors(world):
    CohortRegion.objects.filter(cohort=world.cohort, region=world.region_b).update(quota=2)
    rows = [[f"学员{n}", f"s{n}@example.cn", "trainee", "安徽省", "", "", ""] for n in range(3)]
    record = run(world, csv_file(rows))
    assert record.status == "failed"
    assert [(error["row"], error["code"]) for error in record.errors] == [(3, "quota_exceeded"), (4, "quota_exceeded")]


def test_a_file_without_the_required_columns_is_refused(world):
    record = run(world, csv_file([["甲", "a@example.cn"]], header=["name", "email"]))
    assert record.status == "failed"
    assert record.errors[0]["code"] == "missing_columns"


def test_a_damaged_spreadsheet_is_refused(world):
    record = run(world, SimpleUploadedFile("people.xlsx", b"PK\x03\x04 not really a workbook"))
    assert record.errors[0]["code"] == "bad_file"


def test_a_gb18030_csv_from_excel_is_read(world):
    record = run(world, csv_file([["钱七", "qianqi@example.cn", "学员", "安徽省", "", "", ""]], encoding="gb18030"))
    assert record.status == "done"
    assert User.objects.get(email="qianqi@example.cn").display_name == "钱七"


def test_only_csv_and_xlsx_uploads_are_accepted(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        enrolment_import_create(
            cohort=world.cohort, acting_user=world.coordinator, upload=SimpleUploadedFile("people.pdf", b"%PDF")
        )
    assert not EnrolmentImport.objects.exists()


def test_running_an_import_twice_imports_once(world):
    record = enrolment_import_create(
        cohort=world.cohort, acting_user=world.coordinator, upload=csv_file(good_rows(world))
    )
    enrolment_import_run(import_id=record.pk)
    assert enrolment_import_run(import_id=record.pk) is None
    assert CohortMembership.objects.filter(status="invited").count() == 4


def test_a_withdrawn_person_can_be_invited_again_by_import(world):
    CohortMembership.objects.filter(user=world.trainee).update(status=MembershipStatus.WITHDRAWN)
    record = run(
        world, csv_file([[world.trainee.get_full_name(), world.trainee.email, "trainee", "安徽省", "", "", ""]])
    )
    assert record.status == "done"
    assert CohortMembership.objects.get(user=world.trainee).status == MembershipStatus.INVITED


def test_the_upload_page_queues_the_import_and_the_report_lists_problems(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    upload = csv_file([["甲", "a@example.cn", "trainee", "火星", "", "", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/cohorts/{world.cohort.pk}/import/", {"file": upload})
    record = EnrolmentImport.objects.get()
    assert response["Location"] == f"/en/imports/{record.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in page
    assert "Unknown region “火星”." in page
    status = client.get(f"/en/imports/{record.pk}/status/").json()
    assert status["finished"] is True
    assert status["error_count"] == 1


def test_the_progress_page_has_a_bar_and_no_inline_script(client, world):
    record = EnrolmentImport.objects.create(
        cohort=world.cohort,
        uploaded_by=world.coordinator,
        filename="big.xlsx",
        total_rows=5000,
        processed_rows=2500,
        status="validating",
    )
    client.force_login(world.coordinator)
    page = client.get(f"/en/imports/{record.pk}/").content.decode()
    assert '<progress max="100" value="45"' in page
    assert "js/import-progress.js" in page
    assert "<script>" not in page


def test_a_large_import_invites_every_row(world, postgres):
    """All or nothing at the size regions send; its time is a figure of `make bench` (bench_import)."""
    rows = [
        [
            f"学员{n}",
            f"bulk{n}@example.cn",
            "trainee" if n % 5 else "mentor",
            "安徽省" if n % 2 else "上海市",
            "",
            "primary",
            "chinese",
        ]
        for n in range(5000)
    ]
    CohortRegion.objects.filter(cohort=world.cohort).update(quota=5000)
    world.cohort.capacity = 0
    world.cohort.save()
    upload = csv_file(rows)
    record = run(world, upload)
    assert record.status == "done", record.errors[:3]
    assert record.created_count == 5000
    assert Invitation.objects.filter(membership__cohort=world.cohort).count() >= 5000


def test_an_import_stopped_by_its_time_limit_invites_nobody_and_says_why(world, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    from training.services import imports
    from training.tasks import import_enrolment_task

    def too_slow(record, clean):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(imports, "_import_rows", too_slow)
    record = enrolment_import_create(
        cohort=world.cohort, acting_user=world.coordinator, upload=csv_file(good_rows(world))
    )
    members, invitations = CohortMembership.objects.count(), Invitation.objects.count()
    import_enrolment_task(record.pk)
    record.refresh_from_db()
    assert record.status == "failed"
    with translation.override("en"):
        assert error_message(record.errors[0]) == (
            "The import took longer than 10 minutes and was stopped; nobody was invited. "
            "Upload the file again in smaller parts."
        )
    assert (CohortMembership.objects.count(), Invitation.objects.count()) == (members, invitations)
