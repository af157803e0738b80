"""The statistics rollup split by category and kind as well as unit and month, so the public pages can show the
promises and the counts per category and kind from the rollup (a few rows per unit and month, whatever the number of
cases) with the staff page's definitions. Emptied, reshaped, and counted afresh from the cases."""

from typing import Any

import django.db.models.deletion
from django.db import connections, migrations, models

from brobygget.dialog.tally import TallyCounter, tally_of_values, working_days_remembered

BATCH_SIZE = 2000


def tally_empty(apps: Any, schema_editor: Any) -> None:
    apps.get_model("dialog", "CaseTally").objects.using(schema_editor.connection.alias).all().delete()


def tally_fill(apps: Any, schema_editor: Any) -> None:
    """Count every case into its row, as the services would have (`dialog.tally`)."""
    case_model = apps.get_model("dialog", "Case")
    tally_model = apps.get_model("dialog", "CaseTally")
    using = schema_editor.connection.alias
    counter = TallyCounter()
    days_between = working_days_remembered()
    columns = [
        "municipality_id", "unit_id", "category_id", "kind", "submitted_at", "answered_at", "answer_due", "resolved"
    ]  # fmt: skip
    for values in case_model.objects.using(using).values(*columns).iterator(chunk_size=BATCH_SIZE):
        counter.add(tally_of_values(**values, days_between=days_between))
    tally_model.objects.using(using).bulk_create(counter.rows(tally_model), batch_size=BATCH_SIZE)
    if connections[using].vendor == "postgresql":
        # The new foreign key's index is made after the last operation; PostgreSQL refuses to make it while the
        # rows just written still wait for their deferred foreign-key checks, so they are checked now.
        with connections[using].cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("dialog", "0008_follow_up"),
    ]

    operations = [
        # Emptied first, so the new columns need no default.
        migrations.RunPython(tally_empty, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="casetally", name="case_tally_unit_month"),
        migrations.AddField(
            model_name="casetally",
            name="category",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="dialog.category", default=None
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="casetally",
            name="kind",
            field=models.CharField(
                choices=[
                    ("complaint", "Complaint"),
                    ("suggestion", "Suggestion"),
                    ("praise", "Praise"),
                    ("question", "Question"),
                    ("fault_report", "Fault report"),
                ],
                max_length=20,
                default="",
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="casetally",
            constraint=models.UniqueConstraint(
                fields=("unit", "category", "kind", "month"), name="case_tally_unit_category_month"
            ),
        ),
        migrations.RunPython(tally_fill, migrations.RunPython.noop),
        # Backwards, the rows are emptied first, so the old constraint (one row per unit and month) can come back;
        # the old shape is then empty until counted again.
        migrations.RunPython(migrations.RunPython.noop, tally_empty),
    ]
