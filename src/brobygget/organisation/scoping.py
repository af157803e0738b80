"""Which units, and so which cases (or improvements, goals...), a person may see; and the unit filter's tree.

Every app reads its scope through here, so that all of them scope exactly alike: leaders and staff see their own
units and every unit below them; registrars and administrators the whole municipality; a person in no unit sees
nothing; nobody sees anything of another municipality. An app filters its rows with `Visibility.rows()` (a model
with a municipality and a unit), or with `Visibility.units()` and the visibility's municipality.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from brobygget.core.prepared import prepared
from brobygget.organisation.models import Person, Role, Unit

ERROR_ROLES_NOT_READ = "Read the person with their roles: selectors.person_for_actor or Person.objects.with_roles()."
# unit_ids_below reads at most this many ids and one more, so that a caller can tell "this many or fewer".
UNIT_IDS_LIMIT = 100


@dataclass(frozen=True)
class Visibility:
    """Which units a person sees: every unit of their municipality, or those below these paths."""

    municipality_id: int
    everything: bool
    paths: tuple[str, ...]

    def units(self, prefix: str = "") -> Q:
        """A filter on Unit (or, with prefix "unit__", on a model with a `unit`) for the visible units; the
        municipality is the caller's to add (everything is every municipality's units here)."""
        return Q() if self.everything else units_below(self.paths, prefix)

    def sees(self, *, municipality_id: int, path: str) -> bool:
        """Whether a unit, read already with its municipality and path, is visible: `units()` for one unit, without
        a query (a path names the unit's ancestors, and a visible path is a prefix of every path below it)."""
        if municipality_id != self.municipality_id:
            return False
        return self.everything or any(path.startswith(seen) for seen in self.paths)

    def rows(self, *, municipality: str = "municipality", unit: str = "unit") -> Q:
        """A filter on a model with a municipality and a unit (the names of its lookups): the visible rows."""
        return Q(**{f"{municipality}_id": self.municipality_id}) & self.units(prefix=f"{unit}__")


def units_below(paths: Sequence[str], prefix: str = "") -> Q:
    """A filter on Unit (or, with prefix "unit__", on a model with a `unit`) for these units and those below."""
    return reduce(or_, (Q(**{f"{prefix}path__below": path}) for path in paths))


def unit_visibility(*, person: Person | None) -> Visibility | None:
    """The units `person` may see, from the roles read with them (no query); None when they may see none."""
    if person is None:
        return None
    roles = getattr(person, "unit_roles", None)
    if roles is None:
        raise TypeError(ERROR_ROLES_NOT_READ)
    if any(membership.role in (Role.REGISTRAR, Role.ADMIN) for membership in roles):
        return Visibility(person.municipality_id, everything=True, paths=())
    if not roles:
        return None
    return Visibility(person.municipality_id, everything=False, paths=tuple(sorted({m.unit_path for m in roles})))


@dataclass(frozen=True, slots=True)
class UnitOption:
    """A unit as a filter offers it, read as plain values; `depth` is its level among the options shown."""

    pk: int
    name: str
    path: str
    depth: int = 0

    @property
    def label(self) -> str:
        """The name, indented by its level with no-break spaces (seen, not read aloud)."""
        return "\u00a0\u00a0\u00a0" * self.depth + self.name


@prepared
def _unit_choices(
    *,
    municipality_id: int | None,
    paths: list[str] | None,
    chosen_id: int | None,
    chosen_ancestor_ids: list[int] | None,
) -> QuerySet[Unit, Any]:
    """The top units the person sees and their children; the chosen unit (already found visible, see
    unit_filter_options), its children and its visible ancestors.

    Everyone in the municipality (`paths` None) starts from its roots; anyone else from their own units' paths. A
    path names one unit (it is made of ids), so those need no municipality. Each part of the OR is one an index
    answers (roots by municipality and parent, paths by path, children by parent, the rest by id): a city's 1,500
    units are not read."""
    if paths is None:
        assert municipality_id is not None, "the roots of the whole municipality need its id"
        tops = Unit.objects.filter(municipality_id=municipality_id, parent__isnull=True)
    else:
        tops = Unit.objects.filter(path__in=paths)
    near = Q(pk__in=tops.values("pk")) | Q(parent_id__in=tops.values("pk"))
    if chosen_id is not None:
        near |= Q(pk=chosen_id) | Q(parent_id=chosen_id)
    if chosen_ancestor_ids is not None:  # from the chosen unit's path: in its municipality
        near |= Q(pk__in=chosen_ancestor_ids) if paths is None else Q(pk__in=chosen_ancestor_ids) & units_below(paths)
    return Unit.objects.filter(near).values_list("id", "name", "path")


@prepared
def _unit_path(*, municipality_id: int, paths: list[str] | None, unit_id: int) -> QuerySet[Unit, Any]:
    """The path of a unit, when it is one of the municipality's and below `paths` (None: anywhere in it)."""
    units = Unit.objects.filter(municipality_id=municipality_id, pk=unit_id)
    if paths is not None:
        units = units.filter(units_below(paths))
    return units.values_list("path", flat=True)


def unit_filter_options(*, visibility: Visibility | None, chosen: str = "", chosen_path: str = "") -> list[UnitOption]:
    """The units a filter offers: the top of what the person sees and one level below it, and, when a unit is
    `chosen` (its id as the query string gives it), that unit with its ancestors and children. A caller that has
    read the chosen unit's path, and found it visible, gives it as `chosen_path`, which saves reading it again.

    A city's registrar sees 1,500 units; one list of them all is long to scroll on a phone and to read with a
    screen reader. Choosing a unit opens its level, as a folder does, so every unit is two choices away and the
    list stays short. The options come in the tree's order, each indented under its parent."""
    if visibility is None:
        return []
    paths = None if visibility.everything else list(visibility.paths)
    chosen_id = int(chosen) if chosen.isdigit() and len(chosen) < 10 else None
    ancestors = None
    if chosen_id is not None:
        found = (
            [chosen_path]
            if chosen_path
            else _unit_path(municipality_id=visibility.municipality_id, paths=paths, unit_id=chosen_id)
        )
        if found:
            ancestors = [int(part) for part in found[0].strip("/").split("/")[:-1]]
        else:
            chosen_id = None
    rows = _unit_choices(
        municipality_id=visibility.municipality_id if paths is None else None,
        paths=paths,
        chosen_id=chosen_id,
        chosen_ancestor_ids=ancestors,
    )
    names = {pk: name for pk, name, _path in rows}

    def chain(path: str) -> list[int]:
        return [int(part) for part in path.strip("/").split("/") if int(part) in names]

    options = []
    for pk, name, path in rows:
        ids = chain(path)
        options.append((tuple((names[i], i) for i in ids), UnitOption(pk, name, path, depth=len(ids) - 1)))
    return [option for _key, option in sorted(options, key=lambda item: item[0])]


@prepared
def unit_ids_below(*, paths: list[str] | None, under: str | None) -> QuerySet[Unit, Any]:
    """The ids of the units below `paths` (None: any) and below `under`, at most UNIT_IDS_LIMIT + 1 of them.

    A path is made of ids, so it names units of one municipality only: the path's index answers this, whatever
    the size. Give `paths` or `under` (or both): with neither, every municipality's units qualify."""
    units = Unit.objects.all()
    if paths is not None:
        units = units.filter(units_below(paths))
    if under is not None:
        units = units.filter(path__below=under)
    return units.order_by().values_list("id", flat=True)[: UNIT_IDS_LIMIT + 1]
