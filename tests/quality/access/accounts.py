"""Account → My data (issue 14, item 3): everyone has their own page; an archive downloads for its owner only."""

from tests.quality.url_access import Access, everyone_signed_in, only


def prepare(world) -> None:
    """A ready archive of the trainee's data, with a link that has not expired."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from accounts.models import DataExport

    export = DataExport(user=world.trainee, status="ready", progress=100, expires_at=timezone.now() + timedelta(days=7))
    export.archive.save("yingzi-my-data.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    export.save()
    world.trainee_data_export = export


MATRIX = {
    "accounts:my-data": Access(path=lambda w: "/account/my-data/", expect=everyone_signed_in()),
    "accounts:my-data-download": Access(
        path=lambda w: f"/account/my-data/{w.trainee_data_export.pk}/download/",
        expect=only({"trainee": 200}, otherwise=404),
    ),
}
