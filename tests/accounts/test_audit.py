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
