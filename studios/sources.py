"""The credit bank's describer of studio ledger lines: the ledger's source object is a lesson-study participation."""

from credits.sources import SourceDescription

from .models import Participation


def describe_participations(source_ids: list[int]) -> dict[int, SourceDescription]:
    participations = Participation.objects.filter(pk__in=source_ids).select_related(
        "cycle__studio", "cycle__leader__profile"
    )
    described = {}
    for participation in participations:
        cycle = participation.cycle
        region_id = (
            cycle.studio.region_id
            if cycle.studio_id
            else getattr(getattr(cycle.leader, "profile", None), "region_id", None)
        )
        if region_id is None:
            continue
        described[participation.pk] = SourceDescription(
            title=f"教研：{cycle.topic}", title_en=f"Lesson study: {cycle.topic}", issuing_region_id=region_id
        )
    return described
