from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from brobygget.core.principles import PRINCIPLES


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Principle = apps.get_model("core", "Principle")
    for order, data in enumerate(PRINCIPLES, start=1):
        Principle.objects.update_or_create(slug=data["slug"], defaults={**data, "order": order})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
