"""The statistics page's rollup (`CaseTally`), filled from the cases already there."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

from brobygget.dialog.tally import TallyCounter, tally_of_values, working_days_remembered

BATCH_SIZE = 2000


def tally_fill(apps: Any, schema_editor: Any) -> None:
    """Count every case into its row, as the services would have (`dialog.tally`)."""
    case_model = apps.get_model("dialog", "Case")
    tally_model = apps.get_model("dialog", "CaseTally")
    using = schema_editor.connection.alias
    counter = TallyCounter()
    days_between = working_days_remembered()
    columns = ["municipality_id", "unit_id", "submitted_at", "answered_at", "answer_due", "resolved"]
    for values in case_model.objects.using(using).values(*columns).iterator(chunk_size=BATCH_SIZE):
        counter.add(tally_of_values(**values, days_between=days_between))
    tally_model.objects.using(using).bulk_create(counter.rows(tally_model), batch_size=BATCH_SIZE)


def tally_empty(apps: Any, schema_editor: Any) -> None:
    apps.get_model("dialog", "CaseTally").objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_load_principles"),
        ("dialog", "0003_case_assignee_due"),
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField()),
                ("answered", models.BooleanField()),
                ("working_days", models.PositiveSmallIntegerField()),
                ("cases", models.PositiveIntegerField(default=0)),
                ("in_time", models.PositiveIntegerField(default=0)),
                ("resolved_yes", models.PositiveIntegerField(default=0)),
                ("resolved_no", models.PositiveIntegerField(default=0)),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.municipality"
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="organisation.unit"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["municipality", "month"], name="case_tally_month")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("unit", "month", "answered", "working_days"), name="case_tally_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(tally_fill, tally_empty),
    ]
