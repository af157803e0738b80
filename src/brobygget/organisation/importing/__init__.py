"""Import of units and people from the HR system's export (being split into read, check and apply)."""

from brobygget.organisation.importing.check import *  # noqa: F403
