"""An editor creates a programme page and an event page in Wagtail; a moderator approves; readers see both."""

import datetime

from django.utils import timezone

from cms.models import EventIndexPage, EventPage, ProgrammeIndexPage, ProgrammePage
from training.models import Programme

from .harness import BROWSER, DEMO

pytestmark = BROWSER

PROGRAMME_TITLE = "皖南乡村学校影子教师研修"
EVENT_TITLE = "长三角乡村教育振兴论坛"


def _submit_for_moderation(editor) -> None:
    # Editors may not publish by themselves: Wagtail's moderation workflow.
    assert editor.page.locator("button[name=action-publish]").count() == 0
    editor.page.locator("footer .w-dropdown__toggle.button").click()
    editor.page.locator("button[name=action-submit]").click()
    editor.page.wait_for_load_state()


def _approve(moderator, page_id: int) -> None:
    moderator.visit(f"/cms-admin/pages/{page_id}/edit/")
    moderator.page.locator("footer .w-dropdown__toggle.button").click()
    moderator.page.locator("button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])").click()
    moderator.page.wait_for_load_state()


def test_editor_creates_programme_and_event_pages_that_readers_see_after_approval(journey):
    programmes = ProgrammeIndexPage.objects.get(locale__language_code="zh-hans")
    events = EventIndexPage.objects.get(locale__language_code="zh-hans")
    programme = Programme.objects.order_by("pk").first()
    starts = timezone.localtime() + datetime.timedelta(days=30)

    editor = journey("editor-publishes-pages")
    editor.sign_in(DEMO["editor"], next_path="/cms-admin/")
    editor.visit(f"/cms-admin/pages/add/cms/programmepage/{programmes.pk}/")
    editor.page.fill("[name=title]", PROGRAMME_TITLE)
    editor.page.select_option("select[name=programme]", str(programme.pk))
    editor.page.fill("[name=summary]", "到黄山脚下的乡村学校跟岗一学期。")
    editor.check("new programme page", accessibility=False)
    _submit_for_moderation(editor)

    editor.visit(f"/cms-admin/pages/add/cms/eventpage/{events.pk}/")
    editor.page.fill("[name=title]", EVENT_TITLE)
    editor.page.fill("[name=starts_at]", starts.strftime("%Y-%m-%d 09:00"))
    editor.page.fill("[name=ends_at]", starts.strftime("%Y-%m-%d 17:00"))
    editor.page.keyboard.press("Escape")
    editor.page.fill("[name=venue]", "黄山市屯溪区会议中心")
    editor.page.fill("[name=summary]", "四地乡村校长共话振兴之路。")
    editor.page.fill("[name=capacity]", "80")
    editor.check("new event page", accessibility=False)
    _submit_for_moderation(editor)
    editor.finish()

    programme_page = ProgrammePage.objects.get(title=PROGRAMME_TITLE)
    event_page = EventPage.objects.get(title=EVENT_TITLE)
    assert not programme_page.live and not event_page.live

    moderator = journey("moderator-approves-new-pages")
    moderator.sign_in(DEMO["admin"], next_path="/cms-admin/")
    _approve(moderator, programme_page.pk)
    _approve(moderator, event_page.pk)
    moderator.check("approved and published", accessibility=False)
    moderator.finish()

    programme_page.refresh_from_db()
    event_page.refresh_from_db()
    assert programme_page.live and event_page.live

    reader = journey("reader-sees-new-pages", width="phone")
    reader.visit(programmes.url)
    reader.page.get_by_role("link", name=PROGRAMME_TITLE).click()
    reader.page.wait_for_load_state()
    assert reader.page.get_by_role("heading", level=1).inner_text() == PROGRAMME_TITLE
    reader.check("new programme page")
    reader.visit(event_page.url)
    assert reader.page.get_by_role("heading", level=1).inner_text() == EVENT_TITLE
    assert "黄山市屯溪区会议中心" in reader.page.locator("main").inner_text()
    reader.check("new event page")
    reader.finish()
