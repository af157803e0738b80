"""manage.py demo_scale: bulk scale data for benchmarks (refused when DEBUG is off, unless forced)."""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from brobygget.demo.scale import DEFAULT_SEED, SCALE_PASSWORD, SIZES, ScaleDataExists, expected_counts, scale_generate
from brobygget.demo.scale.goals import goals_scale_write
from brobygget.demo.scale.openresults import openresults_scale_write
from brobygget.demo.scale.write import statistics_refresh


def _size_help() -> str:
    lines = []
    for size, spec in SIZES.items():
        counts = expected_counts(size)
        lines.append(
            f"{size} = {spec.description}: {spec.municipality_name} (code {spec.municipality_code}), "
            f"{counts['units']} units, {counts['people']} people, {counts['cases']} cases over {spec.case_years} "
            f"year{'s' if spec.case_years > 1 else ''}"
        )
    return "; ".join(lines)


class Command(BaseCommand):
    help = (
        "Generate a fictional municipality of a given size in bulk, for benchmarks: units four levels deep "
        "(board, administrations, departments, units), one leader per unit, a registrar, staff, responsibilities, "
        "routines, categories with service promises, three Open311 apps, and residents' cases with their answers. "
        f"Every person gets the account scale-<s|m|l>-<n> (scale-m-1, scale-m-2, ...) with the password "
        f"{SCALE_PASSWORD!r}; the first Open311 app has the key scale-<s|m|l>-open311-key. Sizes: {_size_help()}. "
        "A size can be generated once per database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="S", help="S, M or L (default S).")
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Names and spread; same seed, same data (default {DEFAULT_SEED}).",
        )
        parser.add_argument("--force", action="store_true", help="Generate even when DEBUG is off.")

    def handle(self, *args: Any, size: str, seed: int, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: the scale data has a known password. Use --force if you really mean it.")
        started = time.perf_counter()
        try:
            result = scale_generate(size=size, seed=seed, progress=options["verbosity"] > 0)
        except ScaleDataExists as error:
            raise CommandError(f"{error} Use a fresh database: each size is generated once.") from error
        seconds = time.perf_counter() - started
        counts = ", ".join(f"{value} {name}" for name, value in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {result.municipality} in {seconds:.1f} s: {counts}."))
        started = time.perf_counter()
        goals = goals_scale_write(municipality=result.municipality, size=size, seed=seed)
        seconds = time.perf_counter() - started
        counts = ", ".join(f"{value} {name}" for name, value in goals.items())
        self.stdout.write(self.style.SUCCESS(f"Generated its goals in {seconds:.1f} s: {counts}."))
        started = time.perf_counter()
        published = openresults_scale_write(municipality=result.municipality, size=size, seed=seed)
        seconds = time.perf_counter() - started
        counts = ", ".join(f"{value} {name}" for name, value in published.items())
        self.stdout.write(self.style.SUCCESS(f"Published its open results in {seconds:.1f} s: {counts}."))
        statistics_refresh()  # PostgreSQL's statistics of every table, once all is written
        self.stdout.write(
            f"  Logins {result.first_username} … {result.last_username}, password {SCALE_PASSWORD}; "
            f"a unit leader: {result.sample_leader_username}; the registrar: {result.registrar_username}; "
            f"Open311 key: {result.open311_key}"
        )
