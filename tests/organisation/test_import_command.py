"""manage.py organisation_import: files on disk in, counts or errors out, exit status to match."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from brobygget.core.models import AuditEvent
from brobygget.organisation.importing import FileKind, ImportIssue, ImportResult
from brobygget.organisation.importing.check import ERROR_UNKNOWN_PARENT, ERROR_UNKNOWN_UNIT
from brobygget.organisation.importing.read import ERROR_NOT_A_UNITS_FILE
from brobygget.organisation.management.commands.organisation_import import (
    ERROR_IMPORT_STOPPED,
    ERROR_NO_FILES,
    ERROR_NO_SUCH_FILE,
    ERROR_UNKNOWN_MUNICIPALITY,
)
from brobygget.organisation.models import Person, Unit
from tests.organisation.conftest import PEOPLE, PEOPLE_HEADER, UNITS, UNITS_HEADER

pytestmark = pytest.mark.django_db


def command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("organisation_import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_files_are_imported_and_the_counts_printed(municipality, write_csv):
    units, people = write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, PEOPLE)

    out, err = command("--municipality", municipality.code, "--units", str(units), "--people", str(people))

    expected = ImportResult(units_created=3, people_created=5, memberships_added=5).summary()
    assert out.strip() == expected
    assert "100%" in err  # the progress bar, drawn on stderr
    assert Unit.objects.filter(municipality=municipality).count() == 3
    assert set(AuditEvent.objects.values_list("actor", flat=True)) == {None}  # a system job


def test_a_workbook_is_imported_like_a_csv_file(municipality, write_xlsx):
    units, people = write_xlsx(UNITS_HEADER, UNITS), write_xlsx(PEOPLE_HEADER, PEOPLE)

    command("--municipality", municipality.code, "--units", str(units), "--people", str(people))

    assert Person.objects.filter(municipality=municipality).count() == 5


def test_bad_rows_are_printed_one_per_line_and_the_command_fails_without_writing(municipality, write_csv):
    units = [*UNITS, ["GATA", "Gatuenheten", "GP", "enhet", ""]]
    people = [*PEOPLE, ["1006", "Gun", "Gata", "", "", "GATA", "chef"], ["1007", "Olle", "Okänd", "", "", "NEJ", ""]]
    err = StringIO()

    with pytest.raises(CommandError) as failed:
        call_command(
            "organisation_import",
            "--municipality",
            municipality.code,
            "--units",
            str(write_csv(UNITS_HEADER, units)),
            "--people",
            str(write_csv(PEOPLE_HEADER, people)),
            stdout=StringIO(),
            stderr=err,
        )

    assert failed.value.returncode == 1
    assert str(failed.value) == str(ERROR_IMPORT_STOPPED) % {"count": 2}
    lines = err.getvalue().splitlines()
    assert str(ImportIssue(FileKind.UNITS, 5, str(ERROR_UNKNOWN_PARENT) % {"line": 5, "code": "GP"})) in lines
    assert str(ImportIssue(FileKind.PEOPLE, 8, str(ERROR_UNKNOWN_UNIT) % {"line": 8, "code": "NEJ"})) in lines
    assert not Unit.objects.exists()
    assert not Person.objects.exists()


def test_a_file_of_the_wrong_kind_is_an_error_of_that_file(municipality, write_csv):
    err = StringIO()

    with pytest.raises(CommandError):
        call_command(
            "organisation_import",
            f"--municipality={municipality.code}",
            f"--units={write_csv(PEOPLE_HEADER, PEOPLE)}",
            stdout=StringIO(),
            stderr=err,
        )

    assert err.getvalue().splitlines() == [str(ImportIssue(FileKind.UNITS, 0, str(ERROR_NOT_A_UNITS_FILE)))]


def test_a_dry_run_prints_the_counts_and_saves_nothing(municipality, write_csv):
    units, people = write_csv(UNITS_HEADER, UNITS), write_csv(PEOPLE_HEADER, PEOPLE)

    out, _err = command(
        "--municipality", municipality.code, "--units", str(units), "--people", str(people), "--dry-run"
    )

    assert out.strip() == ImportResult(dry_run=True, units_created=3, people_created=5, memberships_added=5).summary()
    assert not Unit.objects.exists()


def test_running_twice_reports_everything_unchanged(municipality, write_csv):
    args = ["--municipality", municipality.code, "--units", str(write_csv(UNITS_HEADER, UNITS))]
    args += ["--people", str(write_csv(PEOPLE_HEADER, PEOPLE))]
    command(*args)

    out, _err = command(*args)

    assert out.strip() == ImportResult(units_unchanged=3, people_unchanged=5).summary()


def test_an_unknown_municipality_code_fails(write_csv):
    with pytest.raises(CommandError) as failed:
        command("--municipality", "0000", "--units", str(write_csv(UNITS_HEADER, UNITS)))

    assert str(failed.value) == str(ERROR_UNKNOWN_MUNICIPALITY) % {"code": "0000"}


def test_a_missing_file_fails(municipality, tmp_path):
    missing = tmp_path / "finns-inte.csv"

    with pytest.raises(CommandError) as failed:
        command("--municipality", municipality.code, "--people", str(missing))

    assert str(failed.value) == str(ERROR_NO_SUCH_FILE) % {"path": missing}


def test_no_file_at_all_fails(municipality):
    with pytest.raises(CommandError) as failed:
        command("--municipality", municipality.code)

    assert str(failed.value) == str(ERROR_NO_FILES)
