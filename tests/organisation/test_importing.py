"""Import of units and people from the HR system's CSV and XLSX files: reading, checking, writing."""

import time
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from brobygget.core.models import AuditEvent
from brobygget.organisation.importing import (
    FileKind,
    ImportFileError,
    ImportIssue,
    ImportResult,
    check,
    import_file_read,
    organisation_import,
    organisation_import_files,
    read,
)
from brobygget.organisation.importing.check import (
    ERROR_DUPLICATE_PERSON,
    ERROR_DUPLICATE_UNIT,
    ERROR_INVALID_EMAIL,
    ERROR_LEADER_REMOVED,
    ERROR_NO_LEADER,
    ERROR_PARENT_CYCLE,
    ERROR_REQUIRED,
    ERROR_TOO_LONG,
    ERROR_TWO_LEADERS,
    ERROR_UNKNOWN_KIND,
    ERROR_UNKNOWN_PARENT,
    ERROR_UNKNOWN_ROLE,
    ERROR_UNKNOWN_UNIT,
)
from brobygget.organisation.importing.read import (
    ERROR_FILE_EMPTY,
    ERROR_FILE_KIND_UNKNOWN,
    ERROR_FILE_UNREADABLE,
    ERROR_MISSING_COLUMNS,
    ERROR_NOT_A_PEOPLE_FILE,
    ERROR_NOT_A_UNITS_FILE,
)
from brobygget.organisation.models import Membership, Person, Role, Unit
from tests.factories import MembershipFactory, PersonFactory, UnitFactory, UserFactory
from tests.organisation.conftest import PEOPLE, PEOPLE_HEADER, UNITS, UNITS_HEADER

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def run(municipality, units: Path | None = None, people: Path | None = None, **kwargs) -> ImportResult:
    return organisation_import_files(actor=None, municipality=municipality, units=units, people=people, **kwargs)


def issue(kind: FileKind, line: int, message, **params) -> ImportIssue:
    return ImportIssue(kind=kind, line=line, message=str(message) % {"line": line, **params})


def units_of(municipality) -> dict[str, Unit]:
    return {unit.code: unit for unit in Unit.objects.filter(municipality=municipality).select_related("parent")}


def roles_of(municipality) -> set[tuple[str, str, str]]:
    return set(
        Membership.objects.filter(unit__municipality=municipality).values_list(
            "person__employee_number", "unit__code", "role"
        )
    )


def assert_tree_paths_are_right(municipality) -> None:
    units = units_of(municipality)
    by_id = {unit.pk: unit for unit in units.values()}
    for unit in units.values():
        expected = f"{by_id[unit.parent_id].path if unit.parent_id else '/'}{unit.pk}/"
        assert unit.path == expected, unit.code


# Reading files -----------------------------------------------------------------------------------------------


def test_a_semicolon_csv_with_bom_is_read_into_rows_keyed_by_column_with_file_line_numbers(write_csv):
    path = write_csv(UNITS_HEADER, UNITS, bom=True)

    read = import_file_read(path)

    assert read.kind == FileKind.UNITS
    assert [row.line for row in read.rows] == [2, 3, 4]
    assert read.rows[2].values == {
        "enhetskod": "PARK",
        "enhetsnamn": "Parkenheten",
        "överordnad_enhetskod": "SBF",
        "typ": "enhet",
        "beskrivning": "Parker; lekplatser, grönytor.",
    }


def test_a_comma_csv_without_bom_is_read_the_same_way(write_csv):
    path = write_csv(UNITS_HEADER, UNITS, delimiter=",")

    read = import_file_read(path)

    assert read.rows[2].value("beskrivning") == "Parker; lekplatser, grönytor."
    assert read.rows[0].value("enhetsnamn") == "Kommunstyrelsen"


def test_a_csv_saved_by_swedish_excel_in_windows_1252_is_read(write_csv):
    path = write_csv(PEOPLE_HEADER, PEOPLE, encoding="cp1252")

    read = import_file_read(path)

    assert read.kind == FileKind.PEOPLE
    assert read.rows[1].value("efternamn") == "Åkesson"


def test_column_names_are_matched_trimmed_and_regardless_of_case(write_csv):
    header = [" Enhetskod ", "ENHETSNAMN", "Överordnad_Enhetskod", "Extra kolumn"]
    path = write_csv(header, [[" KS ", "Kommunstyrelsen", "", "ignoreras"]])

    read = import_file_read(path)

    assert read.rows[0].values["enhetskod"] == "KS"
    assert read.rows[0].values["överordnad_enhetskod"] == ""


def test_blank_lines_are_skipped_but_keep_the_line_numbers_the_user_sees(write_csv):
    path = write_csv(UNITS_HEADER, [UNITS[0], ["", "", "", "", ""], UNITS[1]])

    read = import_file_read(path)

    assert [row.line for row in read.rows] == [2, 4]


def test_the_first_sheet_of_a_workbook_is_read_and_numbers_become_text(write_xlsx):
    path = write_xlsx(PEOPLE_HEADER, [[1001, "Karin", "Lindqvist", None, None, "KS", "chef"], [], [1002.0, "Per"]])

    read = import_file_read(path)

    assert read.kind == FileKind.PEOPLE
    assert [(row.line, row.value("anställningsnummer")) for row in read.rows] == [(2, "1001"), (4, "1002")]
    assert read.rows[0].value("e-post") == ""


def test_a_people_file_given_as_the_units_file_is_refused(write_csv):
    path = write_csv(PEOPLE_HEADER, PEOPLE)

    with pytest.raises(ImportFileError) as refused:
        import_file_read(path, expected=FileKind.UNITS)

    assert refused.value.message == str(ERROR_NOT_A_UNITS_FILE)


def test_a_units_file_given_as_the_people_file_is_refused(write_csv):
    path = write_csv(UNITS_HEADER, UNITS)

    with pytest.raises(ImportFileError) as refused:
        import_file_read(path, expected=FileKind.PEOPLE)

    assert refused.value.message == str(ERROR_NOT_A_PEOPLE_FILE)


def test_a_file_without_a_required_column_is_refused_naming_the_column(write_csv):
    path = write_csv(["enhetskod", "enhetsnamn"], [["KS", "Kommunstyrelsen"]])

    with pytest.raises(ImportFileError) as refused:
        import_file_read(path)

    assert refused.value.message == str(ERROR_MISSING_COLUMNS) % {"line": 1, "columns": "överordnad_enhetskod"}


def test_a_file_with_unknown_columns_is_refused(write_csv):
    path = write_csv(["namn", "adress"], [["Karin", "Storgatan 1"]])

    with pytest.raises(ImportFileError) as refused:
        import_file_read(path)

    assert refused.value.message == str(ERROR_FILE_KIND_UNKNOWN) % {"line": 1}


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "tom.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n\r\n")

    with pytest.raises(ImportFileError) as refused:
        import_file_read(path)

    assert refused.value.message == str(ERROR_FILE_EMPTY)


def test_a_broken_workbook_is_refused_as_unreadable(tmp_path):
    path = tmp_path / "trasig.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip file")

    with pytest.raises(ImportFileError) as refused:
        import_file_read(path)

    assert refused.value.message == str(ERROR_FILE_UNREADABLE)


# Importing ---------------------------------------------------------------------------------------------------


def test_units_and_people_from_csv_files_are_created_with_tree_roles_and_counts(municipality, write_csv):
    result = run(municipality, write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, PEOPLE))

    assert result.errors == []
    assert (result.units_created, result.units_updated, result.units_unchanged) == (3, 0, 0)
    assert (result.people_created, result.people_updated, result.people_unchanged) == (5, 0, 0)
    assert (result.memberships_added, result.memberships_removed) == (5, 0)
    units = units_of(municipality)
    assert units["KS"].parent is None and units["KS"].kind == Unit.Kind.BOARD
    assert units["PARK"].parent == units["SBF"] and units["PARK"].kind == Unit.Kind.TEAM
    assert units["PARK"].path == f"/{units['KS'].pk}/{units['SBF'].pk}/{units['PARK'].pk}/"
    assert units["PARK"].description == "Parker; lekplatser, grönytor."
    assert roles_of(municipality) == {
        ("1001", "KS", Role.LEADER),
        ("1002", "SBF", Role.LEADER),
        ("1003", "PARK", Role.LEADER),
        ("1004", "PARK", Role.STAFF),
        ("1005", "KS", Role.REGISTRAR),
    }
    emma = Person.objects.get(municipality=municipality, employee_number="1003")
    assert (emma.first_name, emma.last_name, emma.email, emma.title) == (
        "Emma",
        "Lund",
        "emma.lund@example.se",
        "Parkchef",
    )


def test_units_and_people_from_xlsx_files_are_created(municipality, write_xlsx):
    people = [[int(row[0]), *row[1:]] for row in PEOPLE]  # HR systems often write employee numbers as numbers

    result = run(municipality, write_xlsx(UNITS_HEADER, UNITS), write_xlsx(PEOPLE_HEADER, people))

    assert result.errors == []
    assert set(units_of(municipality)) == {"KS", "SBF", "PARK"}
    assert ("1004", "PARK", Role.STAFF) in roles_of(municipality)


def test_an_empty_role_means_employee_and_an_empty_type_means_unit(municipality, write_csv):
    units = [["KS", "Kommunstyrelsen", "", "", ""]]
    people = [["1001", "Karin", "Lindqvist", "", "", "KS", "chef"], ["1002", "Per", "Åkesson", "", "", "KS", ""]]

    result = run(municipality, write_csv(UNITS_HEADER, units), write_csv(PEOPLE_HEADER, people))

    assert result.ok
    assert units_of(municipality)["KS"].kind == Unit.Kind.TEAM
    assert ("1002", "KS", Role.STAFF) in roles_of(municipality)


def test_a_parent_that_comes_after_its_children_in_the_file_still_gives_correct_paths(municipality, write_csv):
    reversed_units = list(reversed(UNITS))

    result = run(municipality, write_csv(UNITS_HEADER, reversed_units), write_csv(PEOPLE_HEADER, PEOPLE))

    assert result.ok
    assert_tree_paths_are_right(municipality)
    units = units_of(municipality)
    assert units["PARK"].ancestor_ids == [units["KS"].pk, units["SBF"].pk]


def test_importing_the_same_files_twice_changes_nothing_the_second_time(municipality, write_csv):
    units, people = write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, PEOPLE)
    run(municipality, units, people)
    events_before = AuditEvent.objects.count()
    paths_before = {code: unit.path for code, unit in units_of(municipality).items()}

    second = run(municipality, units, people)

    assert second.ok
    assert (second.units_created, second.units_updated, second.units_unchanged) == (0, 0, 3)
    assert (second.people_created, second.people_updated, second.people_unchanged) == (0, 0, 5)
    assert (second.memberships_added, second.memberships_removed) == (0, 0)
    assert AuditEvent.objects.count() == events_before
    assert {code: unit.path for code, unit in units_of(municipality).items()} == paths_before


def test_every_created_object_is_audited_without_personal_data(municipality, write_csv):
    run(municipality, write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, PEOPLE))

    actions = list(AuditEvent.objects.filter(municipality=municipality).values_list("action", flat=True))
    assert sorted(set(actions)) == ["membership.added", "person.created", "unit.created"]
    assert (actions.count("unit.created"), actions.count("person.created"), actions.count("membership.added")) == (
        3,
        5,
        5,
    )
    payloads = str(list(AuditEvent.objects.values_list("payload", flat=True)))
    for person in PEOPLE:
        for personal in (person[0], person[1], person[2], person[3]):
            assert not personal or f"'{personal}'" not in payloads


def test_changed_fields_are_updated_and_audited_by_field_name(municipality, write_csv):
    run(municipality, write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, PEOPLE))
    units = [[*UNITS[0][:1], "Kommunstyrelsen i Testby", *UNITS[0][2:]], *UNITS[1:]]
    people = [PEOPLE[0], ["1002", "Per", "Åkesson", "per@example.se", "Direktör", "SBF", "chef"], *PEOPLE[2:]]

    result = run(municipality, write_csv(UNITS_HEADER, units), write_csv(PEOPLE_HEADER, people))

    assert (result.units_updated, result.units_unchanged, result.people_updated, result.people_unchanged) == (
        1,
        2,
        1,
        4,
    )
    assert units_of(municipality)["KS"].name == "Kommunstyrelsen i Testby"
    per = Person.objects.get(municipality=municipality, employee_number="1002")
    assert (per.email, per.title) == ("per@example.se", "Direktör")
    assert AuditEvent.objects.get(action="unit.updated").payload == {
        "fields": ["name"],
        "code": "KS",
        "source": "import",
    }
    assert AuditEvent.objects.get(action="person.updated").payload == {"fields": ["email", "title"], "source": "import"}


def test_optional_columns_left_out_of_the_file_leave_the_values_in_the_database_alone(municipality, write_csv):
    run(municipality, write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, PEOPLE))
    short_units = [row[:3] for row in UNITS]
    short_people = [[*row[:3], row[5]] for row in PEOPLE]

    result = run(
        municipality,
        write_csv(UNITS_HEADER[:3], short_units),
        write_csv(["anställningsnummer", "förnamn", "efternamn", "enhetskod"], short_people),
    )

    assert result.ok
    assert result.units_unchanged == 3
    assert units_of(municipality)["KS"].kind == Unit.Kind.BOARD
    assert units_of(municipality)["PARK"].description == "Parker; lekplatser, grönytor."
    assert Person.objects.get(employee_number="1003").email == "emma.lund@example.se"


def test_a_new_leader_in_the_file_replaces_the_units_previous_leader(municipality, org, write_csv):
    people = [["2001", "Nora", "Ny", "", "Parkchef", "PARK", "chef"]]

    result = run(municipality, people=write_csv(PEOPLE_HEADER, people))

    assert result.ok
    assert (result.memberships_added, result.memberships_removed) == (1, 1)
    leaders = Membership.objects.filter(unit=org["team"], role=Role.LEADER)
    assert [m.person.employee_number for m in leaders] == ["2001"]
    removed = AuditEvent.objects.get(action="membership.removed")
    assert removed.payload == {"unit": org["team"].pk, "role": "leader", "source": "import"}


def test_a_person_gets_the_role_of_the_file_in_their_unit_and_keeps_roles_elsewhere(municipality, org, write_csv):
    member = org["member"]
    MembershipFactory(person=member, unit=org["root"], role=Role.REGISTRAR)
    people = [[member.employee_number, member.first_name, member.last_name, "", "", "PARK", "registrator"]]

    result = run(municipality, people=write_csv(PEOPLE_HEADER, people))

    assert result.ok
    assert set(Membership.objects.filter(person=member).values_list("unit__code", "role")) == {
        ("PARK", Role.REGISTRAR),
        ("KS", Role.REGISTRAR),
    }


def test_units_and_people_already_in_the_database_can_be_parents_and_homes(municipality, org, write_csv):
    units = [["LEK", "Lekplatsgruppen", "PARK", "enhet", ""]]
    people = [["2001", "Lars", "Lek", "", "", "LEK", "chef"], ["2002", "Lisa", "Park", "", "", "PARK", ""]]

    result = run(municipality, write_csv(UNITS_HEADER, units), write_csv(PEOPLE_HEADER, people))

    assert result.ok
    lek = units_of(municipality)["LEK"]
    assert lek.parent == org["team"]
    assert lek.path == f"{org['team'].path}{lek.pk}/"


def test_moving_a_unit_rewrites_the_paths_of_the_units_below_it(municipality, org, write_csv):
    below_park = UnitFactory(municipality=municipality, code="LEK", parent=org["team"])
    MembershipFactory(person=PersonFactory(municipality=municipality), unit=below_park, role=Role.LEADER)
    units = [["PARK", "Parkenheten", "KS", "enhet", ""]]

    result = run(municipality, write_csv(UNITS_HEADER, units))

    assert result.ok and result.units_updated == 1
    assert_tree_paths_are_right(municipality)
    below_park.refresh_from_db()
    assert below_park.path == f"/{org['root'].pk}/{org['team'].pk}/{below_park.pk}/"
    assert AuditEvent.objects.get(action="unit.updated").payload["fields"] == ["parent"]


def test_a_dry_run_counts_what_would_change_and_writes_nothing(municipality, write_csv):
    result = run(municipality, write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, PEOPLE), dry_run=True)

    assert result.ok and result.dry_run
    assert (result.units_created, result.people_created, result.memberships_added) == (3, 5, 5)
    assert not Unit.objects.exists() and not Person.objects.exists() and not AuditEvent.objects.exists()


def test_the_sample_files_in_the_documentation_import_cleanly(municipality):
    result = run(municipality, SAMPLES / "enheter.csv", SAMPLES / "personal.csv")

    assert result.errors == []
    assert result.units_created == 7 and result.people_created == 13
    assert_tree_paths_are_right(municipality)


def test_the_documentation_names_every_column_and_value_the_import_knows():
    guide = (SAMPLES.parent / "import.md").read_text()
    known = [*read.REQUIRED_COLUMNS[FileKind.UNITS], *read.REQUIRED_COLUMNS[FileKind.PEOPLE]]
    known += [read.UNIT_KIND, read.UNIT_DESCRIPTION, read.PERSON_EMAIL, read.PERSON_TITLE]
    known += [read.PERSON_ROLE, *check.KINDS, *check.ROLES]

    assert [name for name in known if f"`{name}`" not in guide] == []
    assert "(samples/enheter.csv)" in guide and "(samples/personal.csv)" in guide


def test_three_thousand_people_in_three_hundred_units_import_in_seconds_and_few_queries(
    municipality, write_csv, assert_max_queries
):
    units = [["KS", "Kommunstyrelsen", "", "kommunstyrelse", ""]]
    units += [[f"F{i}", f"Förvaltning {i}", "KS", "förvaltning", ""] for i in range(19)]
    units += [[f"E{i}", f"Enhet {i}", f"F{i % 19}", "enhet", "Beskrivning"] for i in range(280)]
    codes = [row[0] for row in units]
    people = [  # the first person of each unit leads it
        [f"{10000 + i}", "Förnamn", f"Efternamn{i}", f"p{i}@example.se", "", codes[i % 300], "chef" if i < 300 else ""]
        for i in range(3000)
    ]
    units_file, people_file = write_csv(UNITS_HEADER, units), write_csv(PEOPLE_HEADER, people)

    started = time.perf_counter()
    with assert_max_queries(60):
        result = run(municipality, units_file, people_file)
    elapsed = time.perf_counter() - started

    assert result.errors == []
    assert (result.units_created, result.people_created, result.memberships_added) == (300, 3000, 3000)
    assert elapsed < 30, f"the import took {elapsed:.1f} s"
    assert_tree_paths_are_right(municipality)


def test_an_actor_who_is_not_an_administrator_of_the_municipality_may_not_import(municipality, org, write_csv):
    with pytest.raises(PermissionDenied):
        organisation_import_files(
            actor=org["leader"].user, municipality=municipality, units=write_csv(UNITS_HEADER, UNITS)
        )


def test_an_administrator_of_the_municipality_may_import(municipality, org, write_csv):
    admin = PersonFactory(municipality=municipality)
    MembershipFactory(person=admin, unit=org["root"], role=Role.ADMIN)

    result = organisation_import_files(
        actor=admin.user, municipality=municipality, people=write_csv(PEOPLE_HEADER, [[*PEOPLE[3][:5], "PARK", ""]])
    )

    assert result.ok
    assert AuditEvent.objects.filter(action="person.created", actor=admin.user).count() == 1


# Errors: every bad row, with its file and line; nothing written ------------------------------------------------


def test_one_bad_row_among_good_ones_writes_nothing_at_all(municipality, write_csv):
    people = [*PEOPLE, ["1006", "Olle", "Okänd", "", "", "FINNS-INTE", ""]]

    result = run(municipality, write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, people))

    assert result.errors == [issue(FileKind.PEOPLE, 7, ERROR_UNKNOWN_UNIT, code="FINNS-INTE")]
    assert not Unit.objects.exists()
    assert not Person.objects.exists()
    assert not Membership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_empty_required_values_and_too_long_values_are_reported_by_line_and_column(municipality, write_csv):
    units = [["KS", "", "", "", ""], ["X" * 51, "Lång", "", "", ""]]
    people = [["", "Karin", "", "", "", "KS", "chef"]]

    result = run(municipality, write_csv(UNITS_HEADER, units), write_csv(PEOPLE_HEADER, people))

    assert result.errors == [
        issue(FileKind.UNITS, 2, ERROR_REQUIRED, column="enhetsnamn"),
        issue(FileKind.UNITS, 3, ERROR_TOO_LONG, column="enhetskod", max=50),
        issue(FileKind.PEOPLE, 2, ERROR_REQUIRED, column="anställningsnummer"),
        issue(FileKind.PEOPLE, 2, ERROR_REQUIRED, column="efternamn"),
    ]


def test_a_unit_code_twice_in_the_file_is_an_error_on_the_second_line(municipality, write_csv):
    units = [*UNITS, ["SBF", "Samhällsbyggnad igen", "KS", "", ""]]

    result = run(municipality, write_csv(UNITS_HEADER, units), write_csv(PEOPLE_HEADER, PEOPLE))

    assert result.errors == [issue(FileKind.UNITS, 5, ERROR_DUPLICATE_UNIT, code="SBF", other=3)]


def test_an_employee_number_twice_in_the_file_is_an_error_on_the_second_line(municipality, write_csv):
    people = [*PEOPLE, ["1004", "Nils", "Björk", "", "", "KS", ""]]

    result = run(municipality, write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, people))

    assert result.errors == [issue(FileKind.PEOPLE, 7, ERROR_DUPLICATE_PERSON, number="1004", other=5)]


def test_an_unknown_type_and_an_unknown_role_are_errors_naming_the_allowed_values(municipality, write_csv):
    units = [*UNITS, ["NÄMND", "Byggnämnden", "KS", "nämnd", ""]]
    people = [*PEOPLE, ["1006", "Olle", "Ordf", "", "", "KS", "ordförande"]]

    result = run(municipality, write_csv(UNITS_HEADER, units), write_csv(PEOPLE_HEADER, people))

    assert (
        issue(
            FileKind.UNITS,
            5,
            ERROR_UNKNOWN_KIND,
            value="nämnd",
            choices="kommunstyrelse, förvaltning, avdelning, enhet",
        )
        in result.errors
    )
    assert (
        issue(
            FileKind.PEOPLE,
            7,
            ERROR_UNKNOWN_ROLE,
            value="ordförande",
            choices="medarbetare, chef, registrator, systemförvaltare",
        )
        in result.errors
    )


def test_a_parent_in_neither_the_file_nor_the_organisation_is_an_error(municipality, write_csv):
    units = [*UNITS, ["GATA", "Gatuenheten", "GP", "enhet", ""]]
    people = [*PEOPLE, ["1006", "Gun", "Gata", "", "", "GATA", "chef"]]

    result = run(municipality, write_csv(UNITS_HEADER, units), write_csv(PEOPLE_HEADER, people))

    assert result.errors == [issue(FileKind.UNITS, 5, ERROR_UNKNOWN_PARENT, code="GP")]


def test_units_placed_under_each_other_in_the_file_are_errors_on_both_lines(municipality, write_csv):
    units = [["A", "Enhet A", "B", "", ""], ["B", "Enhet B", "A", "", ""], ["C", "Enhet C", "C", "", ""]]
    people = [
        ["1", "A", "A", "", "", "A", "chef"],
        ["2", "B", "B", "", "", "B", "chef"],
        ["3", "C", "C", "", "", "C", "chef"],
    ]

    result = run(municipality, write_csv(UNITS_HEADER, units), write_csv(PEOPLE_HEADER, people))

    assert result.errors == [
        issue(FileKind.UNITS, 2, ERROR_PARENT_CYCLE, code="A"),
        issue(FileKind.UNITS, 3, ERROR_PARENT_CYCLE, code="B"),
        issue(FileKind.UNITS, 4, ERROR_PARENT_CYCLE, code="C"),
    ]


def test_a_unit_placed_under_its_own_descendant_in_the_database_is_an_error(municipality, org, write_csv):
    units = [["KS", "Kommunstyrelsen", "PARK", "kommunstyrelse", ""]]

    result = run(municipality, write_csv(UNITS_HEADER, units))

    assert result.errors == [
        issue(FileKind.UNITS, 2, ERROR_PARENT_CYCLE, code="KS"),
        issue(FileKind.UNITS, 2, ERROR_NO_LEADER, code="KS"),
    ]


def test_an_invalid_email_address_is_an_error_that_does_not_repeat_the_address(municipality, write_csv):
    people = [*PEOPLE[:3], ["1004", "Nils", "Björk", "nils.bjork@", "", "PARK", ""]]

    result = run(municipality, write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, people))

    assert result.errors == [issue(FileKind.PEOPLE, 5, ERROR_INVALID_EMAIL)]
    assert "nils.bjork@" not in str(result.errors[0])


def test_two_leaders_for_one_unit_in_the_file_is_an_error_on_the_second(municipality, write_csv):
    people = [*PEOPLE, ["1006", "Olle", "Två", "", "", "PARK", "chef"]]

    result = run(municipality, write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, people))

    assert result.errors == [issue(FileKind.PEOPLE, 7, ERROR_TWO_LEADERS, code="PARK", other=4)]


def test_a_unit_of_the_file_without_a_leader_in_the_file_or_the_database_is_an_error(municipality, write_csv):
    people = [row for row in PEOPLE if row[0] != "1002"]

    result = run(municipality, write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, people))

    assert result.errors == [issue(FileKind.UNITS, 3, ERROR_NO_LEADER, code="SBF")]


def test_a_unit_of_the_file_keeps_the_leader_it_has_in_the_database(municipality, org, write_csv):
    units = [["PARK", "Parkenheten", "SBF", "enhet", ""]]

    result = run(municipality, write_csv(UNITS_HEADER, units))

    assert result.ok


def test_turning_the_only_leader_into_an_employee_is_an_error_on_the_persons_line(municipality, org, write_csv):
    leader = org["leader"]
    people = [[leader.employee_number, leader.first_name, leader.last_name, "", "", "PARK", "medarbetare"]]

    result = run(municipality, people=write_csv(PEOPLE_HEADER, people))

    assert result.errors == [issue(FileKind.PEOPLE, 2, ERROR_LEADER_REMOVED, code="PARK")]


def test_all_errors_of_both_files_are_reported_at_once_in_file_and_line_order(municipality, write_csv):
    units = [["KS", "Kommunstyrelsen", "", "", ""], ["SBF", "Samhällsbyggnad", "SAKNAS", "", ""]]
    people = [["1", "Karin", "Lind", "fel", "", "KS", "chef"], ["2", "Per", "Åk", "", "", "SBF", "boss"]]

    result = run(municipality, write_csv(UNITS_HEADER, units), write_csv(PEOPLE_HEADER, people))

    assert [(error.kind, error.line) for error in result.errors] == [
        (FileKind.UNITS, 3),
        (FileKind.UNITS, 3),
        (FileKind.PEOPLE, 2),
        (FileKind.PEOPLE, 3),
    ]
    assert not Unit.objects.exists()


def test_a_file_that_cannot_be_read_is_reported_as_an_error_of_that_file(municipality, write_csv, tmp_path):
    broken = tmp_path / "enheter.xlsx"
    broken.write_bytes(b"PK\x03\x04broken")

    result = run(municipality, broken, write_csv(PEOPLE_HEADER, PEOPLE))

    assert result.errors == [ImportIssue(kind=FileKind.UNITS, line=0, message=str(ERROR_FILE_UNREADABLE))]
    assert not Person.objects.exists()


def test_an_issue_reads_with_the_name_of_its_file():
    found = issue(FileKind.PEOPLE, 4, ERROR_INVALID_EMAIL)

    assert str(found).endswith(str(ERROR_INVALID_EMAIL) % {"line": 4})
    assert str(found) != found.message


def test_system_jobs_and_superusers_may_import(municipality, write_csv):
    superuser = UserFactory(is_superuser=True)

    result = organisation_import(actor=superuser, municipality=municipality)

    assert result.ok
