"""Parts of a goal's page contributed by the apps above goals (the improvement work that moves the goal), so that
the page shows them without goals importing those apps (`core.sections`)."""

from brobygget.core.sections import Section, Sections
from brobygget.goals.models import Goal
from brobygget.organisation.models import Person

__all__ = ["GOAL_PAGE", "Section"]

# A provider gets the goal and the person reading it, and reads what it shows in a fixed number of queries.
GOAL_PAGE: Sections[[Goal, Person | None]] = Sections()
