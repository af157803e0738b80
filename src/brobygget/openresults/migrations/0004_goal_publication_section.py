"""Where each live goal publication is listed on "Våra mål" (`section`, `depth`, `below`), kept on its row so that a page reads
only the goals it shows; filled here for the rows there are, as openresults.goals.goal_placements places them."""

from collections import Counter

import django.db.models.deletion
from django.db import migrations, models

SHARED_LEVELS = ("vision", "council", "committee")


def _placements(rows):
    """A copy of openresults.goals.goal_placements as it was written with this migration."""
    ordered = sorted(rows, key=lambda row: (row[1], row[0]))
    published = {path for _pk, path, _level in ordered}
    first_page = {}
    placed = {}
    for pk, path, level in ordered:
        ids = [part for part in path.strip("/").split("/") if part][:-1]
        ancestors = ["/" + "/".join(ids[: index + 1]) + "/" for index in range(len(ids))]
        depth = sum(1 for ancestor in ancestors if ancestor in published)
        section = next((first_page[ancestor] for ancestor in reversed(ancestors) if ancestor in first_page), None)
        if section is None or level in SHARED_LEVELS:
            first_page[path] = pk
            section = None
        placed[pk] = (section, depth)
    return placed


def place_live(apps, schema_editor):
    GoalPublication = apps.get_model("openresults", "GoalPublication")
    live = GoalPublication.objects.filter(withdrawn_at__isnull=True)
    for municipality_id in live.values_list("municipality_id", flat=True).distinct():
        rows = list(live.filter(municipality_id=municipality_id).only("pk", "goal_path", "level"))
        placed = _placements((row.pk, row.goal_path, row.level) for row in rows)
        below = Counter(section for section, _depth in placed.values() if section is not None)
        for row in rows:
            row.section_id, row.depth = placed[row.pk]
            row.below = below[row.pk]
        GoalPublication.objects.bulk_update(rows, ["section", "depth", "below"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("openresults", "0003_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="goalpublication",
            name="depth",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="published goals above"),
        ),
        migrations.AddField(
            model_name="goalpublication",
            name="below",
            field=models.PositiveIntegerField(default=0, verbose_name="goals listed below"),
        ),
        migrations.AddField(
            model_name="goalpublication",
            name="section",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="openresults.goalpublication",
                verbose_name="listed under",
            ),
        ),
        migrations.AddIndex(
            model_name="goalpublication",
            index=models.Index(
                condition=models.Q(("withdrawn_at__isnull", True)),
                fields=["section", "goal_path"],
                name="goal_publication_listed",
            ),
        ),
        migrations.RunPython(place_live, migrations.RunPython.noop),
    ]
