import pytest
from django.core.management import call_command

from accounts.models import Region, School, User
from cms.models import HomePage
from training.models import Cohort, CohortMembership

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_creates_the_demo_world():
    call_command("seed_demo", verbosity=0)
    counts = (User.objects.count(), School.objects.count(), CohortMembership.objects.count(), HomePage.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (
        User.objects.count(),
        School.objects.count(),
        CohortMembership.objects.count(),
        HomePage.objects.count(),
    ) == counts
    assert set(Region.objects.values_list("code", flat=True)) == {"sh", "js", "zj", "ah"}
    assert School.objects.count() == 12
    for email in ["trainee", "mentor", "coordinator", "editor", "admin"]:
        user = User.objects.get(email=f"{email}@yingzi.example")
        assert user.check_password("yingzi-demo-2026")
    assert HomePage.objects.count() == 2  # Chinese and English


def test_seed_demo_scale_adds_trainees_and_mentors_in_bulk(django_assert_max_num_queries):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", scale=60, verbosity=0)
    cohort = Cohort.objects.get(name="规模测试班 60")
    assert cohort.memberships.filter(role="trainee").count() == 60
    assert cohort.memberships.filter(role="mentor").count() == 20
    call_command("seed_demo", scale=60, verbosity=0)  # reuses what exists
    assert Cohort.objects.filter(name="规模测试班 60").count() == 1
