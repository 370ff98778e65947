"""Share cards (og:image): pictures of public pages and of certificate checks, for anybody."""

from tests.factories.training import training_world as tw

PUBLIC = {
    # A live public page's card; private or unknown pages answer 404 (tests/cms/test_sharing.py).
    "cms:share-card": (lambda w: f"/site/share/{w.event.pk}.png", 200),
    # Programme and status only, never the holder's name.
    "training:certificate-share-card": (lambda w: f"/verify/{tw(w).certificate.code}/card.png", 200),
}
