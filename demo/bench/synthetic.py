"""Synthetic matching inputs of any size, in memory, for the bench command and tests.

Shaped like a real joint cohort: four regions, about 0.3 mentors per trainee,
about one school per eight trainees (600 at 5,000), one shadowing window
per school, and ranked wishes that crowd onto a few well-known hosts.
"""

import random

from mentorship.matching import SHADOW_PRINCIPAL, SHADOW_TEACHER, MatchingInput, MentorIn, TraineeIn, WindowIn

REGIONS = [1, 2, 3, 4]
STAGES = ["primary", "junior_secondary", "senior_secondary", "nine_year"]
SCHOOL_TYPES = ["public", "public", "public", "experimental", "rural", "private"]
SUBJECTS = ["chinese", "mathematics", "english", "science", "homeroom", "physics", "history"]
PRINCIPAL_FOCUS = [
    "planning_development",
    "shaping_culture",
    "leading_teaching",
    "guiding_teacher_growth",
    "optimising_management",
    "adjusting_outside",
]
TEACHER_FOCUS = ["lesson_design", "lesson_delivery", "class_management", "assessment", "communication", "reflection"]


def synthetic_input(
    *, trainees: int, mentors_per_trainee: float = 0.3, kind: str = SHADOW_TEACHER, seed: int = 1
) -> MatchingInput:
    """A cohort of `trainees` with mentors, schools, windows and quotas in proportion."""
    rng = random.Random(seed)  # noqa: S311 -- benchmark data, not security
    school_count = max(len(REGIONS) * 2, trainees * 600 // 5000)
    mentor_count = max(1, round(trainees * mentors_per_trainee))
    focus_pool = PRINCIPAL_FOCUS if kind == SHADOW_PRINCIPAL else TEACHER_FOCUS
    schools = [
        (index + 1, REGIONS[index % len(REGIONS)], rng.choice(STAGES), rng.choice(SCHOOL_TYPES))
        for index in range(school_count)
    ]
    mentor_rows = []
    for index in range(mentor_count):
        school_id, region_id, stage, school_type = rng.choice(schools)
        subjects = set(rng.sample(SUBJECTS, 2))
        if kind == SHADOW_PRINCIPAL or rng.random() < 0.2:
            subjects.add("leadership")
        mentor_rows.append(
            MentorIn(
                id=100_000 + index,
                region_id=region_id,
                school_id=school_id,
                capacity=rng.randint(2, 5),
                stages=frozenset({stage}),
                subjects=frozenset(subjects),
                focus_areas=frozenset(rng.sample(focus_pool, 3)),
                school_type=school_type,
                school_stage=stage,
            )
        )
    famous = [m.id for m in rng.sample(mentor_rows, max(1, mentor_count // 20))]
    trainee_rows = []
    for index in range(trainees):
        school_id, region_id, stage, school_type = rng.choice(schools)
        wishes = tuple(dict.fromkeys(rng.choice(famous) for _ in range(3)))
        trainee_rows.append(
            TraineeIn(
                id=index + 1,
                region_id=region_id,
                school_id=school_id,
                stages=frozenset({stage}),
                subjects=frozenset(rng.sample(SUBJECTS, 1) + (["leadership"] if kind == SHADOW_PRINCIPAL else [])),
                focus_areas=frozenset(rng.sample(focus_pool, 2)),
                school_type=school_type,
                school_stage=stage,
                wishes=wishes,
            )
        )
    windows = [WindowIn(id=school_id, school_id=school_id, capacity=rng.randint(6, 14)) for school_id, *_ in schools]
    quotas = {region: trainees // len(REGIONS) + 1 for region in REGIONS}
    return MatchingInput(
        kind=kind,
        cross_region=True,
        trainees=trainee_rows,
        mentors=mentor_rows,
        windows=windows,
        quotas=quotas,
        do_not_match={(t.id, rng.choice(mentor_rows).id) for t in trainee_rows[: trainees // 50]},
    )
