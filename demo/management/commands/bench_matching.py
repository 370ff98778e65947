"""Time the matcher on synthetic cohorts: 500, 1,000 and 5,000 trainees (about 0.3 mentors each).

    python manage.py bench_matching [--sizes 500 1000 5000] [--kind shadow_teacher]

Inputs are generated in memory (four regions, 600 schools at 5,000), so
the figure is the matcher alone: rules, scores, the network and the solve.
`manage.py bench` calls `measure()` and prints the returned rows.
"""

import resource

from django.core.management.base import BaseCommand

from demo.bench.synthetic import synthetic_input
from mentorship.matching import SHADOW_PRINCIPAL, SHADOW_TEACHER, solve

DEFAULT_SIZES = (500, 1000, 5000)


def measure(*, sizes=DEFAULT_SIZES, kinds=(SHADOW_TEACHER, SHADOW_PRINCIPAL), seed: int = 1) -> list[dict]:
    """One row per size and kind: trainees, mentors, arcs, placed, seconds."""
    rows = []
    for kind in kinds:
        for size in sizes:
            data = synthetic_input(trainees=size, kind=kind, seed=seed)
            result = solve(data)
            rows.append(
                {
                    "kind": kind,
                    "trainees": size,
                    "mentors": len(data.mentors),
                    "schools": len({w.school_id for w in data.windows}),
                    "arcs": result.arcs,
                    "placed": len(result.proposals),
                    "seconds": round(result.seconds, 2),
                    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                }
            )
    return rows


class Command(BaseCommand):
    help = "Time the matching on synthetic cohorts of 500, 1,000 and 5,000 trainees."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
        parser.add_argument(
            "--kind", choices=[SHADOW_TEACHER, SHADOW_PRINCIPAL, "both"], default="both", help="Programme kind."
        )

    def handle(self, *args, sizes, kind, **options):
        kinds = (SHADOW_TEACHER, SHADOW_PRINCIPAL) if kind == "both" else (kind,)
        rows = measure(sizes=sizes, kinds=kinds)
        header = f"{'kind':<17}{'trainees':>9}{'mentors':>9}{'schools':>9}{'arcs':>10}{'placed':>8}{'seconds':>9}{'peak MB':>9}"
        self.stdout.write("Matching time by size")
        self.stdout.write(header)
        for row in rows:
            self.stdout.write(
                f"{row['kind']:<17}{row['trainees']:>9}{row['mentors']:>9}{row['schools']:>9}"
                f"{row['arcs']:>10}{row['placed']:>8}{row['seconds']:>9.2f}{row['peak_mb']:>9}"
            )
        return None
