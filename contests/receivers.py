"""Results become public when the moderators publish the contest page's revision that announced them."""

from wagtail.signals import page_published


def _page_published(sender, instance, revision=None, **kwargs):
    from .models import Round, RoundStatus
    from .services.results import results_go_public

    for round_ in Round.objects.filter(contest__page_id=instance.pk, status=RoundStatus.MODERATION):
        results_go_public(round_=round_, acting_user=getattr(revision, "user", None))


def connect() -> None:
    page_published.connect(_page_published, dispatch_uid="contests-results-published")
