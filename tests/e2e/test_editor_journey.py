"""An editor changes the home page in Wagtail; a moderator approves it; visitors see it."""

from cms.models import HomePage

from .harness import BROWSER, DEMO

pytestmark = BROWSER

NEW_HERO = "四地携手，跟岗成长"


def test_editor_edits_the_home_page_and_it_is_published_after_approval(journey):
    home = HomePage.objects.get(locale__language_code="zh-hans")
    editor = journey("editor-edits-home-page")
    editor.visit("/cms-admin/")
    assert "/accounts/login/" in editor.page.url  # the admin signs in through allauth
    editor.sign_in(DEMO["editor"], next_path="/cms-admin/")
    editor.check("admin dashboard", accessibility=False)

    editor.visit(f"/cms-admin/pages/{home.pk}/edit/")
    editor.page.fill("input[name=hero_title]", NEW_HERO)
    editor.check("editing the home page", accessibility=False)
    # Editors may not publish by themselves: Wagtail's moderation workflow.
    assert editor.page.locator("button[name=action-publish]").count() == 0
    editor.page.locator("footer .w-dropdown__toggle.button").click()
    editor.page.locator("button[name=action-submit]").click()
    editor.page.wait_for_load_state()
    editor.check("submitted for moderation", accessibility=False)
    editor.finish()

    visitor = journey("visitor-before-approval")
    visitor.visit("/")
    assert NEW_HERO not in visitor.page.get_by_role("heading", level=1).inner_text()

    moderator = journey("moderator-approves-home-page")
    moderator.sign_in(DEMO["admin"], next_path="/cms-admin/")
    moderator.visit(f"/cms-admin/pages/{home.pk}/edit/")
    moderator.page.locator("footer .w-dropdown__toggle.button").click()
    moderator.page.locator("button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])").click()
    moderator.page.wait_for_load_state()
    moderator.check("approved and published", accessibility=False)
    moderator.finish()

    visitor.visit("/")
    assert visitor.page.get_by_role("heading", level=1).inner_text() == NEW_HERO
    visitor.check("home page after publishing")
    visitor.finish()
