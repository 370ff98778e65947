"""The transcript page, its PDF and public check, and signed credentials that verify offline."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credits.credentials import CredentialInvalid, verify
from credits.models import TranscriptShare
from credits.selectors import transcript_for_person
from credits.services import recognition_decide, rule_create
from credits.transcript_pdf import transcript_pdf
from tests.factories.credits import activity, rule_data
from tests.training.test_certificates import pdf_text

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 10)


@pytest.fixture
def history(world):
    """Three records of the trainee (Anhui): one recognised automatically, one refused, one waiting."""
    rule_create(
        acting_user=world.regional_admin,
        region=world.region_b,
        **rule_data(effective_from=datetime.date(2025, 1, 1), accepts={"studio": ["sh"]}),
    )
    recognised = activity(
        world.trainee, hours="10", issuer=world.region_a, on=DAY, title="同课异构教研", title_en="Studio lesson study"
    )
    refused = activity(world.trainee, hours="6", issuer=world.region_a, on=DAY.replace(year=2024), title="远程教研")
    recognition_decide(
        acting_user=world.regional_admin,
        recognition_ids=[refused.recognitions.get(region=world.region_b).pk],
        recognise=False,
        reason="未经备案",
    )
    return recognised, refused


def test_the_transcript_lists_every_record_with_each_regions_decision(client, world, history):
    client.force_login(world.trainee)
    page = client.get("/en/credits/").content.decode()
    assert "Studio lesson study" in page and "远程教研" in page
    assert "Recognised" in page and "Issued by" in page
    assert "Credits by year and category" in page


def test_the_transcript_costs_the_same_queries_with_2_and_20_records(client, world):
    client.force_login(world.trainee)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/credits/").status_code == 200
        return len(queries)

    # A day of its own for each activity: a day credits at most 24 hours.
    for day in range(2):
        activity(world.trainee, hours="4", issuer=world.region_a, on=DAY + datetime.timedelta(days=day))
    count()  # the header's cached answers are read once
    few = count()
    for day in range(2, 20):
        activity(world.trainee, hours="4", issuer=world.region_a, on=DAY + datetime.timedelta(days=day))
    count()  # the test's activities are programmes, which renew the menu kept with the public pages
    assert count() == few


def test_the_transcript_composed_afresh_costs_the_same_queries_with_2_and_20_records(client, world):
    """The first visit after a change of the account: the transcript read and rendered again, not from the cache."""
    from credits.freshness import transcript_invalidate

    client.force_login(world.trainee)

    def count():
        client.get("/en/credits/")
        transcript_invalidate(world.trainee.pk)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/en/credits/")
        assert page.status_code == 200
        return len(queries), page.content.decode()

    for day in range(2):
        activity(world.trainee, hours="4", issuer=world.region_a, on=DAY + datetime.timedelta(days=day))
    few, _ = count()
    for day in range(2, 20):
        activity(world.trainee, hours="4", issuer=world.region_a, on=DAY + datetime.timedelta(days=day))
    many, page = count()
    assert many == few
    assert page.count(DAY.strftime("%Y")) >= 20


def test_the_transcript_pdf_reads_in_chinese_and_english(world, history):
    share = TranscriptShare.objects.create(person=world.trainee, token="public-token")
    text = pdf_text(
        transcript_pdf(
            transcript_for_person(person=world.trainee),
            verify_url=f"https://y.example/v/{share.token}/",
            compress=False,
        )
    )
    assert "学分证明" in text and "Credit transcript" in text
    assert "学员甲" in text and "安徽省" in text
    assert "同课异构教研" in text and "Studio lesson study" in text
    assert "按年度与类别统计" in text and "2025" in text and "2024" in text
    assert "不予认定" in text and "refused" in text
    assert "https://y.example/v/public-token/" in text


def test_the_holder_turns_the_public_check_on_renews_it_and_turns_it_off(client, world, history):
    client.force_login(world.trainee)
    client.post("/credits/share/", {"action": "renew"})
    first = TranscriptShare.objects.get(person=world.trainee).token
    client.logout()
    assert "远程教研" in client.get(f"/en/credits/verify/{first}/").content.decode()
    client.force_login(world.trainee)
    client.post("/credits/share/", {"action": "renew"})
    second = TranscriptShare.objects.get(person=world.trainee).token
    client.logout()
    old = client.get(f"/en/credits/verify/{first}/")
    assert old.status_code == 404 and "no transcript" in old.content.decode()
    assert client.get(f"/en/credits/verify/{second}/").status_code == 200
    client.force_login(world.trainee)
    client.post("/credits/share/", {"action": "off"})
    client.logout()
    assert client.get(f"/en/credits/verify/{second}/").status_code == 404


def test_a_signed_transcript_verifies_and_a_changed_byte_fails(client, world, history, tmp_path):
    client.force_login(world.trainee)
    document = client.get("/credits/transcript.vc.json").content.decode()
    credential = verify(document)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["credentialSubject"]["name"] == "学员甲"
    assert any("同课异构教研" in evidence["name"] for evidence in credential["evidence"])
    jws = json.loads(document)["id"].split(",", 1)[1]
    header, payload, signature = jws.split(".")
    # Flip one character of the signed payload (another valid base64url character).
    changed = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    with pytest.raises(CredentialInvalid):
        verify(f"{header}.{changed}.{signature}")
    with pytest.raises(CredentialInvalid) as raised:
        verify(document.replace(signature[:8], signature[:7] + ("A" if signature[7] != "A" else "B")))
    assert "signature does not match" in str(raised.value) or "签名不符" in str(raised.value)


def test_the_offline_command_verifies_with_the_published_keys(client, world, history, tmp_path):
    client.force_login(world.trainee)
    good = tmp_path / "good.vc.json"
    good.write_text(client.get("/credits/transcript.vc.json").content.decode(), encoding="utf-8")
    keys = tmp_path / "jwks.json"
    keys.write_text(client.get("/.well-known/jwks.json").content.decode(), encoding="utf-8")
    assert json.loads(keys.read_text())["keys"][0]["crv"] == "Ed25519"
    call_command("verify_credential", str(good), "--jwks", str(keys))
    bad = tmp_path / "bad.vc.json"
    text = good.read_text()
    middle = len(text) // 2
    bad.write_text(text[:middle] + ("x" if text[middle] != "x" else "y") + text[middle + 1 :], encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("verify_credential", str(bad), "--jwks", str(keys))


def test_a_certificate_credential_names_its_hours_and_regions(client, world):
    from tests.factories.training import training_world

    certificate = training_world(world).certificate
    client.force_login(world.trainee)
    credential = verify(client.get(f"/credits/certificates/{certificate.pk}/credential.json").content.decode())
    assert credential["credentialSubject"]["licenseNumber"] == certificate.code
    assert Decimal(credential["credentialSubject"]["result"][0]["value"]) == Decimal(certificate.hours)
    assert credential["id"].endswith(f"/verify/{certificate.code}/")
    client.force_login(world.other_trainee)
    assert client.get(f"/credits/certificates/{certificate.pk}/credential.json").status_code == 404


def test_a_retired_key_still_verifies_what_it_signed(world, history, settings):
    from joserfc.jwk import OKPKey

    from credits.credentials import sign

    old = OKPKey.generate_key("Ed25519")
    settings.CREDENTIALS_SIGNING_KEYS = [old.as_dict(private=True)]
    token = sign({"type": ["VerifiableCredential"], "name": "旧凭证"})
    new = OKPKey.generate_key("Ed25519")
    settings.CREDENTIALS_SIGNING_KEYS = [new.as_dict(private=True)]
    with pytest.raises(CredentialInvalid):
        verify(token)
    settings.CREDENTIALS_RETIRED_KEYS = [old.as_dict(private=False)]
    assert verify(token)["name"] == "旧凭证"
