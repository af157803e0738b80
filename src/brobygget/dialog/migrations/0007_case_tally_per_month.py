"""The statistics rollup, one row per unit and month with the answer times as counts (`answer_days`), instead of a
row per unit, month and answer time: a page then reads at most units × 12 rows (720 at size L, where the old
shape held 16,000 for the last twelve months). It was filled from the cases here; 0009 splits the rows by category
and kind and counts them afresh, so a database made now is filled there (the counting lives in `dialog.tally`,
whose key this migration's rows no longer fit)."""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
