"""Time the matcher on synthetic cohorts: 500, 1,000 and 5,000 trainees (about 0.3 mentors each).

    python manage.py bench_matching [--sizes 500 1000 5000] [--kind shadow_teacher] [--full]

Inputs are generated in memory (four regions, 600 schools at 5,000), so
the figure is the matcher alone: rules, scores, the network and the solve.
For each run it prints the admissible trainee -> mentor arcs, the arcs of
the network actually solved, the solves it took (pricing rounds) and the
peak resident memory of the process during the run (and how much of it
the run added). `--full` solves the
full graph instead, for comparison. `manage.py bench` calls `measure()`
and prints the returned rows.
"""

import resource
from pathlib import Path

from django.core.management.base import BaseCommand

from demo.bench.synthetic import synthetic_input
from mentorship.matching import CANDIDATES, SHADOW_PRINCIPAL, SHADOW_TEACHER, solve

DEFAULT_SIZES = (500, 1000, 5000)


def reset_peak_memory() -> None:
    """Start a new peak of resident memory (Linux: VmHWM); elsewhere the peak stays the process's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def memory_mb(field: str = "VmHWM") -> int:
    """The process's peak (VmHWM) or current (VmRSS) resident memory."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def measure(
    *, sizes=DEFAULT_SIZES, kinds=(SHADOW_TEACHER, SHADOW_PRINCIPAL), seed: int = 1, full: bool = False
) -> list[dict]:
    """One row per size and kind: trainees, mentors, arcs (admissible and solved), placed, seconds, peak MB."""
    rows = []
    for kind in kinds:
        for size in sizes:
            data = synthetic_input(trainees=size, kind=kind, seed=seed)
            reset_peak_memory()
            resident = memory_mb("VmRSS")
            result = solve(data, candidates=None if full else CANDIDATES)
            rows.append(
                {
                    "kind": kind,
                    "trainees": size,
                    "mentors": len(data.mentors),
                    "schools": len({w.school_id for w in data.windows}),
                    "admissible": result.admissible_arcs,
                    "arcs": result.arcs,
                    "rounds": result.rounds,
                    "placed": len(result.proposals),
                    "score": result.total_score,
                    "seconds": round(result.seconds, 2),
                    "peak_mb": memory_mb(),
                    "added_mb": max(memory_mb() - resident, 0),
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
        parser.add_argument("--full", action="store_true", help="Solve the full graph, without pruning.")

    def handle(self, *args, sizes, kind, full, **options):
        kinds = (SHADOW_TEACHER, SHADOW_PRINCIPAL) if kind == "both" else (kind,)
        rows = measure(sizes=sizes, kinds=kinds, full=full)
        header = (
            f"{'kind':<17}{'trainees':>9}{'mentors':>9}{'schools':>9}{'admissible':>12}{'arcs':>10}"
            f"{'solves':>7}{'placed':>8}{'score':>11}{'seconds':>9}{'peak MB':>9}{'(+MB)':>7}"
        )
        self.stdout.write("Matching time by size" + (" (full graph)" if full else ""))
        self.stdout.write(header)
        for row in rows:
            self.stdout.write(
                f"{row['kind']:<17}{row['trainees']:>9}{row['mentors']:>9}{row['schools']:>9}"
                f"{row['admissible']:>12}{row['arcs']:>10}{row['rounds']:>7}{row['placed']:>8}"
                f"{row['score']:>11}{row['seconds']:>9.2f}{row['peak_mb']:>9}{row['added_mb']:>7}"
            )
        return None
