"""The wording of "Vad skapar värde för medborgaren?" read again: a description still as first loaded gets the new one;
one an administrator has edited is left as it is."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SLUG = "varde-for-medborgaren"
OLD = "Vi ser verksamheten med invånarnas ögon, för dialog, berättar vad de kan vänta sig och förbättrar i små steg."
NEW = (
    "Vi ser verksamheten med invånarnas ögon och för en dialog med dem. Vi berättar vad de kan vänta sig och "
    "förbättrar i små steg."
)


def reword(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("core", "Principle").objects.filter(slug=SLUG, description=OLD).update(description=NEW)


def back(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("core", "Principle").objects.filter(slug=SLUG, description=NEW).update(description=OLD)


class Migration(migrations.Migration):
    dependencies = [("core", "0006_municipality_face")]

    operations = [migrations.RunPython(reword, back)]
