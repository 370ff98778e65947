from django.db import migrations

JOINT_OFFICE_GROUP = "Joint office"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=JOINT_OFFICE_GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=JOINT_OFFICE_GROUP).delete()


class Migration(migrations.Migration):
    """The joint office (长三角联训办公室) sees every region's figures; membership is given in the admin."""

    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, remove_group)]
