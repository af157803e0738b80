"""Scale data: a fictional municipality of a chosen size, generated in bulk for benchmarks.

The generator works in two steps so that it is both fast and testable, a module each, with the sizes
(`sizes`) and the words it is made of (`words`) beside them:

1. `plan.scale_plan()` decides everything in plain Python from a seed: the unit tree (board →
   administrations → departments → units), people with Swedish names, one leader per unit, a registrar,
   staff, responsibilities, routines and the categories residents write about (one per department
   area, each handled by a unit, with its service promises). `cases.scale_cases()` then decides the cases,
   one at a time in the order they came in: when, what about, how far they have come. The same size,
   seed and moment always give the same plan and the same cases.
2. `write.scale_generate()` writes the plan with `bulk_create` in one transaction: units level by level
   (their materialised paths are computed once the primary keys are known), accounts with one
   precomputed password hash, people, memberships, responsibilities, routines, categories, promises,
   the Open311 apps, the cases and their answers in batches, and the case number series; then it
   records one audit event for the whole generation.

This is deliberately not built from the organisation and dialog services: one call per row with an
audit event each would take hours for a city. What the services would have computed is computed the
same way here (case numbers with `numbering.case_number_format`, due dates with
`core.calendar.add_working_days`, the promise of a category and kind as `services.promise_for` chooses
it), and the tests check that a case submitted through the services afterwards continues the series.
The Open311 apps are issued through `services.open311_client_create`, so each is audited like any key.
The data is demo data, refused when DEBUG is off (see the command).
"""

from brobygget.demo.scale.cases import PlannedCase, scale_cases
from brobygget.demo.scale.plan import ScalePlan, scale_plan
from brobygget.demo.scale.sizes import (
    AUDIT_ACTION,
    DEFAULT_SEED,
    SCALE_PASSWORD,
    SIZES,
    SizeSpec,
    expected_counts,
    scale_open311_key,
)
from brobygget.demo.scale.write import ScaleDataExists, ScaleResult, scale_generate, scale_username

__all__ = [
    "AUDIT_ACTION",
    "DEFAULT_SEED",
    "SCALE_PASSWORD",
    "SIZES",
    "PlannedCase",
    "ScaleDataExists",
    "ScalePlan",
    "ScaleResult",
    "SizeSpec",
    "expected_counts",
    "scale_cases",
    "scale_generate",
    "scale_open311_key",
    "scale_plan",
    "scale_username",
]
