"""What "Min sida" shows of follow-ups (organisation.workspace): the follow-ups I answer for that are due, and, for a
leader, the overdue follow-ups of others in the units they lead and below, which stand out."""

from brobygget.goals.followups import my_due_follow_ups, overdue_below
from brobygget.organisation.models import Unit
from brobygget.organisation.workspace import Section, Viewer

LIMIT = 10


def my_page_section(viewer: Viewer) -> Section | None:
    """My due follow-ups (two queries) and, for a leader, the overdue ones below (three more); nothing to show, no
    section."""
    mine, more_mine = my_due_follow_ups(person_id=viewer.person.pk, today=viewer.today, limit=LIMIT)
    below: list = []
    more_below = False
    if viewer.led_unit_ids:
        paths = list(Unit.objects.filter(pk__in=viewer.led_unit_ids).values_list("path", flat=True))
        below, more_below = overdue_below(person_id=viewer.person.pk, unit_paths=paths, today=viewer.today, limit=LIMIT)
    if not mine and not below:
        return None
    context = {"mine": mine, "more_mine": more_mine, "below": below, "more_below": more_below}
    return Section("goals/my_page_follow_ups.html", context)
