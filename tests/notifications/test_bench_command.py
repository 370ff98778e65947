import pytest
from django.core.management import CommandError, call_command


def test_the_notification_bench_says_it_needs_a_real_broker():
    # Tests run Celery eagerly: there is no queue to time.
    with pytest.raises(CommandError, match="needs a Redis broker"):
        call_command("bench_notifications", people=10)
