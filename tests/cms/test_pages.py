import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail.test.utils import WagtailPageTestCase

from cms import services
from cms.blocks import AgendaItemBlock
from cms.models import (
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ProgrammeIndexPage,
    ProgrammePage,
    StandardPage,
)
from tests.factories import cms as pages
from tests.factories.accounts import make_user
from tests.factories.training import CohortFactory, ProgrammeFactory, add_member

pytestmark = pytest.mark.django_db


class TestTreeRules(WagtailPageTestCase):
    def test_the_home_page_holds_the_indexes_and_standard_pages(self):
        self.assertAllowedSubpageTypes(HomePage, {ProgrammeIndexPage, EventIndexPage, NewsIndexPage, StandardPage})

    def test_each_index_holds_only_its_own_pages(self):
        self.assertAllowedSubpageTypes(ProgrammeIndexPage, {ProgrammePage})
        self.assertAllowedSubpageTypes(EventIndexPage, {EventPage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})

    def test_leaf_pages_have_no_children(self):
        for leaf in (ProgrammePage, EventPage, NewsPage):
            self.assertAllowedSubpageTypes(leaf, set())

    def test_pages_live_only_under_their_index(self):
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertAllowedParentPageTypes(ProgrammePage, {ProgrammeIndexPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_an_event_can_be_created_under_the_event_index(self):
        from demo.seeding.cms import seed_home_page

        home = seed_home_page()
        index = pages.event_index(home)
        self.client.force_login(make_user(email="chief@example.com", is_staff=True, is_superuser=True))
        self.assertCanCreateAt(EventIndexPage, EventPage)
        self.assertCanNotCreateAt(HomePage, EventPage)
        now = timezone.now()
        self.assertCanCreate(
            index,
            EventPage,
            {
                "title": "班主任基本功大赛",
                "slug": "contest",
                "kind": "contest",
                "starts_at": (now + datetime.timedelta(days=5)).strftime("%Y-%m-%d %H:%M"),
                "ends_at": (now + datetime.timedelta(days=5, hours=6)).strftime("%Y-%m-%d %H:%M"),
                "capacity": "50",
                "credit_hours": "4",
                "body": "[]",
                "body-count": "0",
                "agenda": "[]",
                "agenda-count": "0",
                "speaker_links-TOTAL_FORMS": "0",
                "speaker_links-INITIAL_FORMS": "0",
                "speaker_links-MIN_NUM_FORMS": "0",
                "speaker_links-MAX_NUM_FORMS": "1000",
                "materials-TOTAL_FORMS": "0",
                "materials-INITIAL_FORMS": "0",
                "materials-MIN_NUM_FORMS": "0",
                "materials-MAX_NUM_FORMS": "1000",
                "schedule_links-TOTAL_FORMS": "0",
                "schedule_links-INITIAL_FORMS": "0",
                "schedule_links-MIN_NUM_FORMS": "0",
                "schedule_links-MAX_NUM_FORMS": "1000",
            },
        )


def test_an_event_that_ends_before_it_starts_is_refused(events):
    now = timezone.now()
    page = EventPage(title="倒序活动", slug="reverse", starts_at=now, ends_at=now - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "ends_at" in error.value.message_dict


def test_an_agenda_item_that_ends_before_it_starts_is_refused():
    block = AgendaItemBlock()
    value = block.to_python(
        {"starts": "10:00", "ends": "09:30", "title": "主旨报告", "speakers": [], "room": "", "day": None}
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_the_event_page_shows_the_agenda_speakers_and_places_left(client, events):
    from cms.models import Speaker

    speaker = Speaker.objects.create(name="王校长", name_en="Principal Wang", affiliation="上海市实验学校校长")
    event = pages.event_page(
        events,
        capacity=5,
        agenda=[
            {
                "type": "item",
                "value": {
                    "starts": "09:00",
                    "ends": "10:00",
                    "title": "主旨报告",
                    "speakers": [speaker.pk],
                    "room": "一号厅",
                    "day": None,
                },
            }
        ],
    )
    event.speaker_links.create(speaker=speaker, role="主旨报告人")
    services.event_register(event=event, acting_user=make_user())
    page = client.get(event.url).content.decode()
    assert "主旨报告" in page and "一号厅" in page and "王校长" in page
    assert "1 of 5 places taken" in page or "已报名 1 人" in page or "1" in page
    assert "/accounts/login/?next=" in page


def test_every_page_type_renders_in_both_languages(client, home_page):
    programme = ProgrammeFactory(title="影子校长项目", title_en="Shadow principal programme")
    made = [
        pages.programme_index(home_page),
        pages.event_index(home_page),
        pages.news_index(home_page),
        pages.standard_page(home_page),
    ]
    made += [
        pages.programme_page(made[0], programme=programme),
        pages.event_page(made[1]),
        pages.news_page(made[2]),
    ]
    english = Locale.objects.get(language_code="en")
    for page in made:
        response = client.get(page.url)
        assert response.status_code == 200, page
        assert page.title in response.content.decode()
        assert '<html lang="zh-hans">' in response.content.decode()
        translation = page.copy_for_translation(english, copy_parents=True)
        translation.title = f"EN {page.title}"
        translation.save_revision().publish()
        response = client.get(translation.url)
        assert response.status_code == 200, translation.url
        assert translation.url.startswith("/en/")
        assert '<html lang="en">' in response.content.decode()


def test_the_programme_page_lists_live_cohorts_with_seats_left_and_an_apply_link(client, home_page):
    programme = ProgrammeFactory()
    recruiting = CohortFactory(programme=programme, status="recruiting", capacity=3, name="2027春季班")
    CohortFactory(programme=programme, status="draft", name="草稿班")
    add_member(recruiting, make_user(), "trainee")
    page = pages.programme_page(pages.programme_index(home_page), programme=programme)
    content = client.get(page.url).content.decode()
    assert "2027春季班" in content and "草稿班" not in content
    assert '<dd class="seats-left">2</dd>' in content
    assert f"/cohorts/{recruiting.pk}/apply/" in content


def _count_queries(client, url):
    client.get(url)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_programme_page_queries_do_not_grow_with_cohorts(client, home_page):
    programme = ProgrammeFactory()
    page = pages.programme_page(pages.programme_index(home_page), programme=programme)
    for _ in range(2):
        add_member(CohortFactory(programme=programme, status="recruiting"), make_user(), "trainee")
    few = _count_queries(client, page.url)
    for _ in range(20):
        add_member(CohortFactory(programme=programme, status="recruiting"), make_user(), "trainee")
    assert _count_queries(client, page.url) == few


def test_event_page_queries_do_not_grow_with_registrations(client, events, world, django_assert_max_num_queries):
    event = pages.event_page(events, capacity=10)
    for _ in range(2):
        services.event_register(event=event, acting_user=make_user())
    client.force_login(world.trainee)
    services.event_register(event=event, acting_user=world.trainee)
    few = _count_queries(client, event.url)
    for _ in range(20):
        services.event_register(event=event, acting_user=make_user())
    assert _count_queries(client, event.url) == few
    with django_assert_max_num_queries(few):
        client.get(event.url)


@pytest.mark.parametrize("kind", ["home", "programmes", "events", "news"])
def test_index_queries_do_not_grow_with_children(client, home_page, kind):
    programme = ProgrammeFactory()
    parents = {
        "programmes": pages.programme_index(home_page),
        "events": pages.event_index(home_page),
        "news": pages.news_index(home_page),
    }

    def add(start, count):
        for n in range(start, start + count):
            pages.programme_page(parents["programmes"], programme=programme, n=n)
            pages.event_page(parents["events"], n=n)
            pages.news_page(parents["news"], n=n)

    url = "/" if kind == "home" else parents[kind].url
    add(0, 2)
    few = _count_queries(client, url)
    add(2, 18)
    assert _count_queries(client, url) == few


def test_the_home_page_shows_programmes_events_and_news(client, home_page):
    programme = ProgrammeFactory()
    pages.programme_page(pages.programme_index(home_page), programme=programme, title="影子教师项目")
    pages.event_page(pages.event_index(home_page), title="德育论坛")
    pages.news_page(pages.news_index(home_page), title="首期学员结业")
    content = client.get("/").content.decode()
    assert "影子教师项目" in content and "德育论坛" in content and "首期学员结业" in content


def test_event_page_queries_do_not_grow_with_agenda_items_and_speakers(client, events):
    from cms.models import Speaker

    def agenda(count):
        speakers = [Speaker.objects.create(name=f"嘉宾{n}") for n in range(count)]
        items = [
            {
                "type": "item",
                "value": {
                    "day": None,
                    "starts": "09:00",
                    "ends": "10:00",
                    "title": f"报告{n}",
                    "speakers": [s.pk],
                    "room": "",
                },
            }
            for n, s in enumerate(speakers)
        ]
        return speakers, items

    speakers, items = agenda(2)
    few_page = pages.event_page(events, n=1, agenda=items)
    for speaker in speakers:
        few_page.speaker_links.create(speaker=speaker)
    few_page.save()
    speakers, items = agenda(20)
    many_page = pages.event_page(events, n=2, agenda=items)
    for speaker in speakers:
        many_page.speaker_links.create(speaker=speaker)
    many_page.save()
    assert _count_queries(client, few_page.url) == _count_queries(client, many_page.url)
    assert "嘉宾19" in client.get(many_page.url).content.decode()


def test_editors_edit_but_only_moderators_publish(world, home_page):
    from django.contrib.auth.models import Group

    event = pages.event_page(pages.event_index(home_page))
    moderator = make_user(email="moderator@example.com")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    as_editor, as_moderator = event.permissions_for_user(world.editor), event.permissions_for_user(moderator)
    assert as_editor.can_edit() and not as_editor.can_publish()
    assert as_moderator.can_publish()


def test_a_path_resolves_to_its_live_page_and_nothing_else_does(client, events):
    event = pages.event_page(events, n=7)
    assert client.get("/events/summit-7/").status_code == 200
    assert client.get("/events/summit-7/extra/").status_code == 404
    assert client.get("/events/summit-8/").status_code == 404
    event.unpublish()
    assert client.get("/events/summit-7/").status_code == 404


def test_a_renamed_page_answers_at_its_new_address_only(client, events):
    event = pages.event_page(events, n=3)
    event.slug = "forum-2027"
    event.save_revision().publish()
    assert client.get("/events/forum-2027/").status_code == 200
    assert client.get("/events/summit-3/").status_code == 404


def test_a_page_two_levels_down_routes_in_as_many_queries_as_one_level_down(rf, events):
    """The whole path is looked up at once, not one level of the tree at a time."""
    event = pages.event_page(events, n=1)

    def route(path):
        request = rf.get(path)
        with CaptureQueriesContext(connection) as queries:
            found = Page.route_for_request(request, path)
        return found.page, len(queries)

    index_page, index_queries = route("/events/")
    event_page, event_queries = route("/events/summit-1/")
    assert (index_page.pk, event_page.pk) == (events.pk, event.pk)
    assert isinstance(event_page, EventPage)
    assert event_queries == index_queries
