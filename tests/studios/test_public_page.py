"""The studio's public page, published through Wagtail under its programme page."""

import pytest

from tests.factories import cms as pages
from tests.factories.studios import studio_world

pytestmark = pytest.mark.django_db


def test_public_page_shows_leader_regions_themes_count_and_public_activities(world, home_page, client):
    w = studio_world(world)
    index = pages.programme_index(home_page)
    programme_page = pages.programme_page(index, programme=w.cohort.programme)
    studio_page = pages.studio_page(programme_page, studio=w.studio)

    # Linked from the programme page.
    programme_html = client.get(programme_page.url).content.decode()
    assert studio_page.url in programme_html and "名师丙" in programme_html

    html = client.get(studio_page.url).content.decode()
    assert "名师丙" in html
    assert 'class="members-count">3<' in html  # the leader, the co-leader and the member; not the applicant
    assert "上海市" in html and "安徽省" in html
    assert "大单元教学" in html and "跨省同课异构展示" in html
    # Activities the leaders keep to the studio stay off the public page, and so do members' names.
    assert "内部备课会" not in html and "学员甲" not in html
