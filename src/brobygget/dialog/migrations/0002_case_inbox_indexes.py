"""Indexes of the staff inbox (keyset pages at a million cases).

* case_open_due: open cases by answer-by date and id, only the open ones (a partial index): "most urgent first",
  "overdue" and "Min sida" read a few thousand open rows instead of walking past every closed case.
* case_open_newest: open cases newest first (partial): the "overdue" filter finds its few rows among the open
  cases even when there are none, instead of walking the whole history by date.
* case_unit_newest: a unit's cases newest first, for staff who see one unit among many.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dialog", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ["received", "in_progress"])),
                fields=["municipality", "answer_due", "id"],
                name="case_open_due",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", ["received", "in_progress"])),
                fields=["municipality", "-submitted_at", "-id"],
                name="case_open_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["unit", "-submitted_at", "-id"], name="case_unit_newest"),
        ),
    ]
