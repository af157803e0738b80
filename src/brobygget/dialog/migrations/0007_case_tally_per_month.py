"""The statistics rollup, one row per unit and month with the answer times as counts (`answer_days`), instead of a
row per unit, month and answer time: a page then reads at most units × 12 rows (720 at size L, where the old
shape held 16,000 for the last twelve months). Made afresh from the cases."""

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


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_load_principles"),
        ("dialog", "0006_case_number_index"),
        ("organisation", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="CaseTally"),
        migrations.CreateModel(
            name="CaseTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField()),
                ("received", models.PositiveIntegerField(default=0)),
                ("answered", models.PositiveIntegerField(default=0)),
                ("in_time", models.PositiveIntegerField(default=0)),
                ("resolved_yes", models.PositiveIntegerField(default=0)),
                ("resolved_no", models.PositiveIntegerField(default=0)),
                ("answer_days", models.JSONField(default=dict)),
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
                "constraints": [models.UniqueConstraint(fields=("unit", "month"), name="case_tally_unit_month")],
            },
        ),
        migrations.RunPython(tally_fill, migrations.RunPython.noop),
    ]
