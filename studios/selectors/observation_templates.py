"""What the observation-sheet template screens read: the platform's sheets, and a sheet one may copy."""

from django.db.models import Count
from django.http import Http404

from .. import permissions
from ..models import ObservationTemplate


def platform_templates() -> list[ObservationTemplate]:
    """The platform's sheets (every cohort's cycles pick from them), with their item and cycle counts."""
    return list(
        ObservationTemplate.objects.filter(studio__isnull=True).annotate(
            items_count=Count("items", distinct=True), cycles_count=Count("cycles", distinct=True)
        )
    )


def template_get_for_copy(*, acting_user, template_id: int) -> ObservationTemplate:
    """A sheet one may copy: any platform sheet, or a sheet of a studio one leads; 404 otherwise."""
    template = ObservationTemplate.objects.select_related("studio").filter(pk=template_id).first()
    if template is None:
        raise Http404
    if template.studio_id is not None and not permissions.can_lead_studio(acting_user, template.studio):
        raise Http404
    return template
