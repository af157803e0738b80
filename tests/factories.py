"""Test data builders: factory_boy factories for the organisation."""

import datetime

import factory
from django.contrib.auth import get_user_model

from brobygget.core.models import Municipality
from brobygget.dialog.models import Category, ServicePromise
from brobygget.organisation.models import Membership, Person, Responsibility, Role, Routine, Unit


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    code = factory.Sequence(lambda n: f"{8000 + n:04d}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"Enhet {n}")
    kind = Unit.Kind.TEAM
    parent = None

    @factory.post_generation
    def set_path(obj: Unit, create: bool, extracted: object, **kwargs: object) -> None:
        obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
        if create:
            obj.save(update_fields=["path"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("ett-bra-losenord-42")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    municipality = factory.SubFactory(MunicipalityFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    first_name = factory.Iterator(["Anna", "Bo", "Cecilia", "David", "Elsa"])
    last_name = factory.Iterator(["Andersson", "Berg", "Carlsson", "Dahl", "Ek"])
    email = factory.LazyAttribute(lambda p: f"{p.employee_number.lower()}@example.se")
    user = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory, municipality=factory.SelfAttribute("..person.municipality"))
    role = Role.STAFF


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    unit = factory.SubFactory(UnitFactory)
    person = factory.SubFactory(PersonFactory, municipality=factory.SelfAttribute("..unit.municipality"))
    area = factory.Sequence(lambda n: f"Område {n}")


class RoutineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Routine

    unit = factory.SubFactory(UnitFactory)
    owner = factory.SubFactory(PersonFactory, municipality=factory.SelfAttribute("..unit.municipality"))
    title = factory.Sequence(lambda n: f"Rutin {n}")
    review_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=10))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    municipality = factory.SubFactory(MunicipalityFactory)
    unit = factory.SubFactory(UnitFactory, municipality=factory.SelfAttribute("..municipality"))
    code = factory.Sequence(lambda n: f"kategori-{n}")
    name = factory.Sequence(lambda n: f"Kategori {n}")


class ServicePromiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePromise

    category = factory.SubFactory(CategoryFactory)
    kind = ""
    acknowledge_days = 2
    answer_days = 10


def submit_case(category: Category, *, kind: str = "complaint", text: str = "Gatlampan lyser inte.", **fields):
    """A case submitted the way a resident submits one: through the service. Returns (case, tracking key)."""
    from brobygget.dialog.services import SubmissionInput, feedback_submit

    return feedback_submit(
        municipality=category.municipality, data=SubmissionInput(kind=kind, category=category, text=text, **fields)
    )
