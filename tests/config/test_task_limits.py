"""No Celery task can run unbounded: a worker stuck on one is freed, and the long jobs get the time they need."""

import pytest
from celery import current_app
from django.conf import settings

LONG_TASKS = {
    "training.tasks.import_enrolment_task": 600,
    "mentorship.tasks.run_matching_batch_task": 900,
    "notifications.tasks.send_daily_digests_task": 600,
    "notifications.tasks.send_deliveries_task": 300,
    "notifications.tasks.send_due_reminders_task": 300,
}


def limits(task) -> tuple[float, float]:
    """What a worker enforces: the task's own limits, else the settings' defaults."""
    conf = current_app.conf
    return (task.soft_time_limit or conf.task_soft_time_limit, task.time_limit or conf.task_time_limit)


def our_tasks():
    current_app.loader.import_default_modules()
    # Celery's own tasks (celery.chord_unlock and the like) are not ours to bound.
    return {name: task for name, task in current_app.tasks.items() if not name.startswith("celery.")}


def test_the_settings_give_every_task_a_soft_and_a_hard_limit():
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT == current_app.conf.task_soft_time_limit == 60
    assert settings.CELERY_TASK_TIME_LIMIT == current_app.conf.task_time_limit == 90


def test_every_task_stops_softly_before_it_is_killed():
    tasks = our_tasks()
    assert set(LONG_TASKS) <= set(tasks)
    for name, task in tasks.items():
        soft, hard = limits(task)
        assert soft and hard, name
        # The soft limit raises inside the task, so its transaction rolls back before the process is killed.
        assert soft < hard, name


@pytest.mark.parametrize(("name", "soft"), LONG_TASKS.items())
def test_long_jobs_have_longer_limits_than_the_default(name, soft):
    assert limits(our_tasks()[name]) == (soft, soft + (60 if soft >= 600 else 30))
