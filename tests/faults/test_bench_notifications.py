"""`bench_notifications` on a real broker and worker: it prints its figures and leaves nothing behind."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from notifications.models import Notification

pytestmark = [pytest.mark.broker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_bench_prints_the_fan_out_beside_the_floor_and_cleans_up(start_worker, smtp_sink, capsys):
    start_worker()
    call_command("bench_notifications", people=25)
    output = capsys.readouterr().out
    assert "floor: 25 empty tasks published and drained" in output
    assert "fan-out: 25 in-app messages + 25 e-mail rows" in output
    assert "delivery: fan-out until 25 e-mails sent" in output
    assert smtp_sink.count() == 25
    assert not Notification.objects.exists()
    assert not get_user_model().objects.filter(email__startswith="bench-notifications-").exists()
