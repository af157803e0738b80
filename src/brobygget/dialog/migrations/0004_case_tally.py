"""The statistics page's rollup (`CaseTally`), first shaped per unit, month and answer time. 0007 gives it its
present shape (per unit and month) and fills it from the cases, so nothing is filled here."""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
