"""The resource library: visibility per role, search on partial Chinese, uploads, and promotion with consent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from studios.models import Resource
from tests.factories.studios import make_resource, pdf_file, studio_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def sworld(world):
    return studio_world(world)


def titles(client, query=""):
    return client.get(f"/studios/library/{query}").content.decode()


def test_each_visibility_reaches_its_readers(sworld, client):
    w = sworld
    anonymous = titles(client)
    assert "公开教案" in anonymous and "平台案例" not in anonymous and "工作室内部报告" not in anonymous
    client.force_login(w.other_trainee)
    outsider = titles(client)
    assert "公开教案" in outsider and "平台案例" in outsider and "工作室内部报告" not in outsider
    assert client.get(f"/studios/resources/{w.studio_resource.pk}/").status_code == 404
    client.force_login(w.trainee)
    member = titles(client)
    assert "公开教案" in member and "平台案例" in member and "工作室内部报告" in member
    download = client.get(f"/studios/resources/{w.studio_resource.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    # Waiting for consent: shown to its author to decide, in no one's list.
    assert "示范课教学设计" in member
    client.force_login(w.other_trainee)
    assert "示范课教学设计" not in titles(client)


def test_search_finds_partial_chinese_titles_and_tags(sworld, client):
    client.force_login(sworld.trainee)
    assert "公开教案" in titles(client, "?q=圆的")
    found = titles(client, "?q=大单")  # a tag, in part
    assert "公开教案" in found and "平台案例" not in found
    both = titles(client, "?q=作业+分层")
    assert "平台案例" in both and "公开教案" not in both
    assert "平台案例" not in titles(client, "?q=圆的+分层")


def test_filters_by_kind_and_region(sworld, client):
    w = sworld
    make_resource(
        w.studio, w.studio_leader, title="安徽课例录像", visibility="platform", kind="recording", region=w.region_b
    )
    client.force_login(w.trainee)
    recordings = titles(client, "?kind=recording")
    assert "安徽课例录像" in recordings and "平台案例" not in recordings
    assert "安徽课例录像" in titles(client, "?region=ah") and "平台案例" not in titles(client, "?region=ah")
    # Nonsense in a filter is ignored, not an error.
    assert client.get("/studios/library/?kind=nonsense&page=x").status_code == 200


def test_a_forbidden_file_type_is_refused_and_nothing_is_added(sworld, client):
    w = sworld
    client.force_login(w.trainee)
    before = Resource.objects.count()
    response = client.post(
        f"/studios/{w.studio.pk}/resources/add/",
        {
            "title": "危险文件",
            "kind": "lesson_plan",
            "licence": "cc_by",
            "visibility": "studio",
            "upload": SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        },
    )
    assert response.status_code == 200
    assert "的文件类型不受支持" in response.content.decode()
    assert Resource.objects.count() == before


def test_a_member_shares_a_file(sworld, client):
    w = sworld
    client.force_login(w.trainee)
    response = client.post(
        f"/studios/{w.studio.pk}/resources/add/",
        {
            "title": "我的教案",
            "kind": "lesson_plan",
            "licence": "cc_by",
            "visibility": "platform",
            "tags": "语文，阅读",
            "upload": pdf_file("教案.pdf"),
        },
    )
    resource = Resource.objects.get(title="我的教案")
    assert response.status_code == 302 and resource.author == w.trainee
    assert resource.tag_list == ["语文", "阅读"] and resource.original_name == "教案.pdf"


def test_promotion_waits_for_the_authors_consent(sworld, client):
    w = sworld
    client.force_login(w.mentor)
    client.post(f"/studios/{w.studio.pk}/submissions/{w.submission_to_promote.pk}/promote/", {"visibility": "platform"})
    resource = Resource.objects.get(submission=w.submission_to_promote)
    assert resource.consented_at is None and resource.author == w.trainee
    assert (
        Notification.objects.filter(kind="studios.resource_consent", recipient=w.trainee, target_id=resource.pk).count()
        == 1
    )
    # Promoting twice: a clear message, nothing more.
    response = client.post(
        f"/studios/{w.studio.pk}/submissions/{w.submission_to_promote.pk}/promote/",
        {"visibility": "public"},
        follow=True,
    )
    assert "已在资源库中" in response.content.decode()
    assert Resource.objects.filter(submission=w.submission_to_promote).count() == 1
    client.force_login(w.other_trainee)
    assert "单元作业设计" not in titles(client)
    client.force_login(w.trainee)
    client.post(f"/studios/resources/{resource.pk}/consent/", {"decision": "consent"})
    client.force_login(w.other_trainee)
    assert "单元作业设计" in titles(client)


def test_declining_keeps_the_work_out(sworld, client):
    w = sworld
    client.force_login(w.trainee)
    client.post(f"/studios/resources/{w.promoted_resource.pk}/consent/", {"decision": "decline"})
    assert not Resource.objects.filter(pk=w.promoted_resource.pk).exists()


def test_library_queries_do_not_grow_with_resources(sworld, client, django_assert_max_num_queries):
    w = sworld
    client.force_login(w.trainee)
    client.get("/studios/library/")
    with CaptureQueriesContext(connection) as small:
        client.get("/studios/library/?q=教案")
    for n in range(30):
        make_resource(w.studio, w.studio_leader, title=f"教案{n}", visibility="studio", region=w.region_b)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/studios/library/?q=教案")
    assert "教案29" in response.content.decode()
