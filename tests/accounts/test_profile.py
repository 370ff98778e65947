import pytest

from accounts.models import Profile
from tests.factories.accounts import RegionFactory, SchoolFactory, make_user

pytestmark = pytest.mark.django_db

URL = "/en/account/profile/"


@pytest.fixture
def places():
    shanghai = RegionFactory(code="sh", name="上海市", name_en="Shanghai")
    anhui = RegionFactory(code="ah", name="安徽省", name_en="Anhui")
    return {
        "sh": shanghai,
        "ah": anhui,
        "sh_school": SchoolFactory(region=shanghai, name="浦江小学"),
        "ah_school": SchoolFactory(region=anhui, name="巢湖中学"),
    }


def profile_data(places, **overrides):
    data = {
        "display_name": "王芳",
        "preferred_language": "zh-hans",
        "region": places["sh"].pk,
        "school": places["sh_school"].pk,
        "title": "副校长",
        "subjects": ["leadership", "chinese"],
        "stages": ["primary"],
        "years_of_experience": "14",
    }
    data.update(overrides)
    return data


def test_a_person_edits_their_profile(client, places):
    user = make_user()
    client.force_login(user)
    response = client.post(URL, profile_data(places))
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    user.refresh_from_db()
    assert user.display_name == "王芳"
    assert profile.school == places["sh_school"]
    assert profile.region == places["sh"]
    assert profile.subjects == ["leadership", "chinese"]
    assert profile.years_of_experience == 14
    follow = client.get(response["Location"])
    assert "王芳" in follow.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"years_of_experience": "90"}, "years_of_experience", "Years of experience cannot be more than 60."),
        ({"school": "999999"}, "school", "Select a valid choice."),
        ({"school": "__ah__"}, "school", "This school is not in the region you chose."),
        ({"subjects": ["astrology"]}, "subjects", "Select a valid choice."),
        ({"display_name": ""}, "display_name", "This field is required."),
    ],
)
def test_bad_profile_input_is_refused_with_a_message_and_changes_nothing(client, places, overrides, field, message):
    user = make_user(display_name="原名")
    if overrides.get("school") == "__ah__":
        overrides["school"] = places["ah_school"].pk
    client.force_login(user)
    response = client.post(URL, profile_data(places, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    user.refresh_from_db()
    assert user.display_name == "原名"
    assert Profile.objects.get(user=user).school is None


def test_profile_errors_appear_in_chinese_on_the_chinese_site(client, places):
    client.force_login(make_user())
    response = client.post("/account/profile/", profile_data(places, years_of_experience="90"))
    assert "工作年限不能超过 60 年" in response.content.decode()


def test_a_trainee_cannot_post_someone_elses_fields(client, places):
    """Only the signed-in person's own profile changes, whatever is posted."""
    victim = make_user(display_name="别人")
    attacker = make_user()
    client.force_login(attacker)
    client.post(URL, {**profile_data(places), "user": victim.pk, "email": "hijack@example.com", "is_staff": "on"})
    victim.refresh_from_db()
    attacker.refresh_from_db()
    assert victim.display_name == "别人"
    assert attacker.email != "hijack@example.com"
    assert not attacker.is_staff


def test_the_school_list_offers_the_home_regions_schools_in_the_same_queries(client, places):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user(region=places["sh"], school=places["sh_school"])
    client.force_login(user)

    def page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/account/profile/")
        return response.content.decode(), len(queries)

    page()  # the first visit creates the profile's companions once
    body, few = page()
    assert "浦江小学" in body and "巢湖中学" not in body
    for i in range(40):
        SchoolFactory(region=places["ah"], name=f"外省学校{i}")
        SchoolFactory(region=places["sh"], name=f"本市学校{i}")
    body, many = page()
    assert "本市学校39" in body and "外省学校0" not in body
    assert many == few
