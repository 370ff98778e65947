"""The Wagtail admin read in Chinese by an editor and a moderator: no English left in the interface.

The walk signs in as the demo editor with a Chinese browser, submits a
programme page for moderation (so the workflow pages have something to show),
and reads every admin page an editor works on; then the moderator reads the
pages only they may open. On each page it gathers what a person reads or a
screen reader says: the text of the page (selects' options aside: language and
time-zone names), placeholders, titles and aria-labels. Content is allowed in
any language (page titles, speakers' names, e-mail addresses), so it is taken
out first; the English words left are Wagtail's interface that no catalogue
translated. Nor may it address the reader as 你.
"""

import re

from cms.models import EventPage, HomePage, ProgrammeIndexPage, ProgrammePage, Speaker

from .harness import BROWSER, DEMO

pytestmark = BROWSER

# What a person reads on the page and what a screen reader says for its controls.
READ_PAGE = """() => {
  const shown = (element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  let text = document.body.innerText;
  for (const select of document.querySelectorAll('select')) text = text.split(select.innerText).join('\\n');
  const parts = [document.title, text];
  for (const element of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
    if (!shown(element)) continue;
    for (const name of ['placeholder', 'title', 'aria-label']) {
      if (element.getAttribute(name)) parts.push(element.getAttribute(name));
    }
  }
  return parts.join('\\n');
}"""

# Names that stay in Latin letters in a Chinese interface.
BRAND_NAMES = ["Wagtail", "Yingzi", "English", "Draftail", "AVIF", "GIF", "JPEG", "JPG", "PNG", "WEBP", "SVG", "MB"]
ADDRESS = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+")
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z’']+(?:[ -][A-Za-z][A-Za-z’']*)*")


def content_names() -> list[str]:
    """Texts written by people, in either language: shown as they are, never translated by a catalogue."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    names = list(Page.objects.values_list("title", flat=True))
    names += list(Speaker.objects.values_list("name", flat=True))
    names += list(Speaker.objects.values_list("name_en", flat=True))
    names += list(Speaker.objects.values_list("affiliation_en", flat=True))
    for user in get_user_model().objects.all():
        names += [user.get_full_name(), user.get_username()]
    return sorted({name for name in names if name}, key=len, reverse=True)


def untranslated(text: str, content: list[str]) -> list[str]:
    """The English phrases of `text` once content, addresses and brand names are taken out."""
    text = ADDRESS.sub(" ", text)
    for name in content + BRAND_NAMES:
        text = text.replace(name, " ")
    return sorted({match.group() for match in ENGLISH_WORD.finditer(text)})


def test_the_check_finds_english_interface_and_lets_content_through():
    content = ["Shadow principal programme", "Grace Wu"]
    assert untranslated("编辑 Shadow principal programme · Grace Wu · grace@yingzi.example", content) == []
    assert untranslated("Wagtail 8.0.1 编辑指南 · 支持 PNG、WEBP", content) == []
    assert untranslated("Exploring: 培训项目 · Sort by '标题' in ascending order.", content) == [
        "Exploring",
        "Sort by",
        "in ascending order",
    ]


def _read(journey, step: str, content: list[str], found: dict) -> None:
    journey.page.wait_for_load_state("networkidle")
    text = journey.page.evaluate(READ_PAGE)
    # Wagtail's own zh-hans says 你 in places; the project catalogue makes it 您 (docs/chinese-style.md).
    informal = [text[max(0, at - 8) : at + 8] for at in (match.start() for match in re.finditer("你", text))]
    if english := untranslated(text, content) + informal:
        found[f"{step} ({journey.page.url})"] = english
    journey.check(step, accessibility=False)


def _submit_for_moderation(journey, page_id: int) -> None:
    journey.visit(f"/cms-admin/pages/{page_id}/edit/")
    journey.page.locator("footer .w-dropdown__toggle.button").click()
    journey.page.locator("button[name=action-submit]").click()
    journey.page.wait_for_load_state()


def test_editor_and_moderator_read_the_wagtail_admin_in_chinese(journey):
    home = HomePage.objects.get(locale__language_code="zh-hans")
    programmes = ProgrammeIndexPage.objects.get(locale__language_code="zh-hans")
    programme = ProgrammePage.objects.filter(locale__language_code="zh-hans").order_by("path").first()
    event = EventPage.objects.filter(locale__language_code="zh-hans").order_by("path").first()
    speaker = Speaker.objects.order_by("pk").first()
    content = content_names()
    found: dict[str, list[str]] = {}

    editor = journey("admin-in-chinese-editor")
    editor.sign_in(DEMO["editor"], next_path="/cms-admin/")
    _submit_for_moderation(editor, programme.pk)
    for step, path in [
        ("dashboard", "/cms-admin/"),
        ("explorer: root", "/cms-admin/pages/"),
        ("explorer: programmes", f"/cms-admin/pages/{programmes.pk}/"),
        ("new page: choose a type", f"/cms-admin/pages/{home.pk}/add_subpage/"),
        ("editing a programme page", f"/cms-admin/pages/{programme.pk}/edit/"),
        ("editing an event page", f"/cms-admin/pages/{event.pk}/edit/"),
        ("page history", f"/cms-admin/pages/{programme.pk}/history/"),
        ("search", "/cms-admin/pages/search/?q=论坛"),
        ("report: workflows", "/cms-admin/reports/workflow/"),
        ("report: workflow tasks", "/cms-admin/reports/workflow_tasks/"),
        ("report: site history", "/cms-admin/reports/site-history/"),
        ("report: aging pages", "/cms-admin/reports/aging-pages/"),
        ("images", "/cms-admin/images/"),
        ("images: upload", "/cms-admin/images/multiple/add/"),
        ("documents", "/cms-admin/documents/"),
        ("documents: upload", "/cms-admin/documents/multiple/add/"),
        ("snippets: speakers", "/cms-admin/snippets/cms/speaker/"),
        ("snippets: editing a speaker", f"/cms-admin/snippets/cms/speaker/edit/{speaker.pk}/"),
    ]:
        editor.visit(path)
        _read(editor, step, content, found)
    editor.finish()

    moderator = journey("admin-in-chinese-moderator")
    moderator.sign_in(DEMO["admin"], next_path="/cms-admin/")
    for step, path in [
        ("dashboard: awaiting my review", "/cms-admin/"),
        ("reviewing the submitted page", f"/cms-admin/pages/{programme.pk}/edit/"),
        ("report: locked pages", "/cms-admin/reports/locked/"),
        ("workflows", "/cms-admin/workflows/list/"),
        ("workflow tasks", "/cms-admin/workflows/tasks/index/"),
    ]:
        moderator.visit(path)
        _read(moderator, step, content, found)
    assert "审核员审批" in moderator.page.locator("main").inner_text()  # the task, named in Chinese
    moderator.finish()

    assert found == {}, "English left in the Wagtail admin:\n" + "\n".join(
        f"{step}: {words}" for step, words in found.items()
    )
