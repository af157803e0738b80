from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dialog", "0004_case_tally"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="form_digest",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(("form_digest", ""), _negated=True), fields=("form_digest",), name="case_form_once"
            ),
        ),
    ]
