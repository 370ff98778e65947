"""Wagtail's default workflow and task are named after the group, in English ("Moderators approval").

Editors read the name in the admin and in every moderation e-mail ("已提交到审核环节“Moderators
approval”"); the site is run in Chinese first, so the names are given in Chinese. Names an
administrator has already changed are left alone.
"""

from django.db import migrations

RENAMES = {"Moderators approval": "审核员审批"}


def rename(apps, schema_editor):
    for model in ("Workflow", "Task"):
        Model = apps.get_model("wagtailcore", model)
        for english, chinese in RENAMES.items():
            Model.objects.filter(name=english).update(name=chinese)


def restore(apps, schema_editor):
    for model in ("Workflow", "Task"):
        Model = apps.get_model("wagtailcore", model)
        for english, chinese in RENAMES.items():
            Model.objects.filter(name=chinese).update(name=english)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_event_changes"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(rename, restore)]
