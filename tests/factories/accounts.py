import factory

from accounts.models import Region, School, Stage, User
from accounts.services import user_create

PASSWORD = "correct-horse-battery-staple"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"r{n}")
    name = factory.Sequence(lambda n: f"测试省{n}")
    name_en = factory.Sequence(lambda n: f"Test province {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"测试学校{n}")
    name_en = factory.Sequence(lambda n: f"Test school {n}")
    region = factory.SubFactory(RegionFactory)
    stage = Stage.PRIMARY


def make_user(*, email=None, password=PASSWORD, region=None, school=None, **fields) -> User:
    """A person with a profile, made through the same service the app uses."""
    make_user.counter = getattr(make_user, "counter", 0) + 1
    email = email or f"person{make_user.counter}@example.com"
    fields.setdefault("display_name", f"测试用户{make_user.counter}")
    profile_fields = {
        key: fields.pop(key) for key in ["title", "subjects", "stages", "years_of_experience"] if key in fields
    }
    flags = {key: fields.pop(key) for key in ["is_staff", "is_superuser"] if key in fields}
    user = user_create(email=email, password=password, region=region, school=school, **fields, **profile_fields)
    if flags:
        for key, value in flags.items():
            setattr(user, key, value)
        user.save(update_fields=list(flags))
    return user
