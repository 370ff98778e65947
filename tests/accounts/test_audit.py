import pytest

from accounts.audit import audit_entries_for, audit_log

pytestmark = pytest.mark.django_db


def test_an_audited_action_records_who_did_what_to_which_object(world):
    """Any app logs through Wagtail's audit log with its registered action names."""
    audit_log(instance=world.cohort, action="training.hours.correct", acting_user=world.coordinator, data={"seats": 40})
    audit_log(instance=world.other_cohort, action="training.hours.correct", acting_user=world.other_coordinator)
    entries = list(audit_entries_for(instances=[world.cohort]))
    assert len(entries) == 1
    assert entries[0].action == "training.hours.correct"
    assert entries[0].user == world.coordinator
    assert entries[0].data == {"seats": 40}


def test_an_audited_action_is_one_insert(world):
    """The content type and the acting user are in hand: nothing is read back to write the entry."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    audit_log(instance=world.cohort, action="training.hours.correct", acting_user=world.coordinator)  # content type
    with CaptureQueriesContext(connection) as queries:
        entry = audit_log(
            instance=world.cohort, action="training.hours.correct", acting_user=world.coordinator, data={"n": 1}
        )
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["INSERT"]
    stored = audit_entries_for(instances=[world.cohort]).first()
    assert stored.pk == entry.pk
    assert (stored.user, stored.label, stored.data) == (world.coordinator, str(world.cohort), {"n": 1})


def test_an_unregistered_action_is_refused_and_nothing_is_written(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        audit_log(instance=world.cohort, action="training.made.up", acting_user=world.coordinator)
    assert not audit_entries_for(instances=[world.cohort]).exists()


def test_the_acting_user_of_wagtails_log_context_is_recorded(world):
    from wagtail.log_actions import LogContext

    with LogContext(user=world.coordinator) as context:
        audit_log(instance=world.cohort, action="training.hours.correct")
        audit_log(instance=world.other_cohort, action="training.hours.correct")
    entries = list(audit_entries_for(instances=[world.cohort])) + list(
        audit_entries_for(instances=[world.other_cohort])
    )
    assert {(entry.user, entry.uuid) for entry in entries} == {(world.coordinator, context.uuid)}
