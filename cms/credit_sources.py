"""Events as the credit bank sees them: each checked-in registration's title, issuing region and category."""


def describe_event_registrations(source_ids: list[int]) -> dict:
    """Ledger lines of event check-ins (`source_id` = the registration): the event, in both languages, by its host region."""
    from credits.models import CreditCategory
    from credits.sources import SourceDescription

    from .models import EventKind, EventPage, EventRegistration

    registrations = list(EventRegistration.objects.filter(pk__in=source_ids).select_related("event", "event__locale"))
    keys = {registration.event.translation_key for registration in registrations}
    english = dict(
        EventPage.objects.filter(translation_key__in=keys, locale__language_code="en").values_list(
            "translation_key", "title"
        )
    )
    described = {}
    for registration in registrations:
        event = registration.event
        if event.host_region_id is None:
            continue
        described[registration.pk] = SourceDescription(
            title=event.title,
            title_en=english.get(event.translation_key, ""),
            issuing_region_id=event.host_region_id,
            category=CreditCategory.TRAINING if event.kind == EventKind.WORKSHOP else CreditCategory.EXCHANGE,
        )
    return described
