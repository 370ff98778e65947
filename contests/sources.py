"""The credit bank's describer of contest ledger lines: the ledger's source object is the entrant."""

from credits.sources import SourceDescription

from .models import Entrant


def describe_entrants(source_ids: list[int]) -> dict[int, SourceDescription]:
    return {
        entrant.pk: SourceDescription(
            title=f"{entrant.category.contest.name} · {entrant.category.name}",
            title_en=" · ".join(part for part in (entrant.category.contest.name_en, entrant.category.name_en) if part),
            issuing_region_id=entrant.region_id,
        )
        for entrant in Entrant.objects.filter(pk__in=source_ids).select_related("category__contest")
    }
