"""The organisation: units in a tree, people, their roles per unit, and who is responsible for what."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from brobygget.core.models import Municipality


class Below(models.Lookup):  # type: ignore[type-arg]
    """`path__below=path`: the unit at `path` and every unit under it, as `startswith`, but answered from the path's
    index on SQLite too, whose LIKE ignores case and so reads no index: there it is a GLOB (case-sensitive, as a
    path of ids and slashes may be). Elsewhere it is the LIKE of `startswith`."""

    lookup_name = "below"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        patterns = (f"{connection.ops.prep_for_like_query(p)}%" for p in rhs_params)
        return f"{lhs} LIKE {rhs}", (*lhs_params, *patterns)

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if any(set(str(p)) & set("*?[]%_\\") for p in rhs_params):
            raise ValueError(f"A unit path holds ids and slashes only, not {rhs_params!r}.")
        return f"{lhs} GLOB {rhs}", (*lhs_params, *(f"{p}*" for p in rhs_params))


class Unit(models.Model):
    """A node in the organisation tree: kommunstyrelse → förvaltning → avdelning → enhet."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Municipal executive board")
        ADMINISTRATION = "administration", _("Administration")
        DEPARTMENT = "department", _("Department")
        TEAM = "team", _("Unit")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="units", verbose_name=_("municipality")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    # Materialised path of ancestor ids, "/1/5/23/": ancestors and subtrees in one query at any depth.
    path = models.CharField(max_length=500, db_index=True, editable=False, default="/", verbose_name=_("path"))
    code = models.CharField(_("unit code"), max_length=50, help_text=_("The code the HR system uses."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEAM)
    description = models.TextField(_("what the unit does"), blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="unit_code_unique")]
        # The top of a municipality's tree (parent is null) without reading every unit (the inbox's unit filter).
        indexes = [models.Index(fields=["municipality", "parent"], name="unit_municipality_parent")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:unit", args=[self.pk])

    @property
    def parent_path(self) -> str:
        """The parent's path, read from this unit's own ("/1/5/" of "/1/5/23/"); a top unit's own path."""
        return self.path.rsplit("/", 2)[0] + "/" if self.parent_id else self.path

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part and int(part) != self.pk]


Unit._meta.get_field("path").register_lookup(Below)


class PersonQuerySet(models.QuerySet["Person"]):
    def with_roles(self) -> "PersonQuerySet":
        """People with their roles in `unit_roles` (see roles_prefetch), read in one more query for all of them."""
        return self.prefetch_related(roles_prefetch())


class Person(models.Model):
    """An employee; linked to a staff account when they log in."""

    # The person's memberships with their units' paths and names, by unit name: what decides what the person may
    # see (organisation.scoping). Set when the person is read with them: Person.objects.with_roles(), or
    # selectors.person_for_actor, which reads the same in the person's own query.
    unit_roles: list["Membership"]

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="people", verbose_name=_("municipality")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )
    employee_number = models.CharField(_("employee number"), max_length=50)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "employee_number"], name="person_employee_number_unique")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Role(models.TextChoices):
    STAFF = "staff", _("Employee")
    LEADER = "leader", _("Leader")
    REGISTRAR = "registrar", _("Registrar")
    ADMIN = "admin", _("Administrator")


class Membership(models.Model):
    """A person's role in a unit. A unit has exactly one leader (at most one by constraint)."""

    # The unit's path and name, when read as one of a person's `unit_roles` (roles_prefetch).
    unit_path: str
    unit_name: str

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "unit", "role"], name="membership_unique"),
            models.UniqueConstraint(fields=["unit"], condition=Q(role="leader"), name="unit_one_leader"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.unit} ({self.get_role_display()})"


def roles_prefetch() -> Prefetch:
    """Reads a person's memberships into `Person.unit_roles`, each with its unit's path and name, by unit name."""
    memberships = (
        # The names are declared on Membership for person_for_actor, which sets them; the stubs' plugin sees a clash.
        Membership.objects.annotate(unit_path=F("unit__path"), unit_name=F("unit__name"))  # type: ignore[no-redef]
        .only("id", "person_id", "unit_id", "role")
        .order_by("unit__name", "role", "pk")
    )
    return Prefetch("memberships", queryset=memberships, to_attr="unit_roles")


class Responsibility(models.Model):
    """An area a named person answers for within a unit ("vem ansvarar för vad")."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="responsibilities", verbose_name=_("unit"))
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="responsibilities", verbose_name=_("person")
    )
    area = models.CharField(_("area of responsibility"), max_length=200)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["area"]
        constraints = [models.UniqueConstraint(fields=["unit", "area"], name="responsibility_area_unique")]

    def __str__(self) -> str:
        return self.area


class Routine(models.Model):
    """A documented way of working, with an owner and a date by which it is reviewed."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="routines", verbose_name=_("unit"))
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="owned_routines", verbose_name=_("owner"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    review_date = models.DateField(_("review by"))

    class Meta:
        verbose_name = _("routine")
        verbose_name_plural = _("routines")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
