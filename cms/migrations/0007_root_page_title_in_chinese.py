"""Wagtail's root page is titled "Root"; editors read it in the explorer ("Exploring: Root").

Named in Chinese like the workflow (0005). The root page is never shown to visitors; a
title an administrator has changed is left alone.
"""

from django.db import migrations

ENGLISH, CHINESE = "Root", "全部站点"


def rename(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=ENGLISH).update(title=CHINESE, draft_title=CHINESE)


def restore(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=CHINESE).update(title=ENGLISH, draft_title=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_merge_0005_studio_page_0005_workflow_names_in_chinese"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename, restore)]
