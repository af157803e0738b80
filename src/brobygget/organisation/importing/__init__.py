"""Import of units and people from the HR system's export: read CSV or XLSX, check every row, write all or nothing.

A units file and a people file are told apart by their columns (docs/import.md). Units are matched on
municipality + unit code and people on municipality + employee number, so a second run with the same files
changes nothing. The import creates and updates; it never deletes a unit or a person.

By step: `read` (files into rows), `check` (every problem of the rows, and what would change), `apply` (the
writes, and the entry points below). Error messages live in the step that finds them.
"""

from brobygget.organisation.importing.apply import organisation_import, organisation_import_files
from brobygget.organisation.importing.check import ImportResult
from brobygget.organisation.importing.read import (
    FileKind,
    ImportFileError,
    ImportIssue,
    ImportRow,
    import_file_read,
    import_files_read,
)

__all__ = [
    "FileKind",
    "ImportFileError",
    "ImportIssue",
    "ImportResult",
    "ImportRow",
    "import_file_read",
    "import_files_read",
    "organisation_import",
    "organisation_import_files",
]
