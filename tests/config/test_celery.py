"""Celery delivery: a task still running is never handed to a second worker."""

from __future__ import annotations

from config.celery import app


def test_the_visibility_timeout_exceeds_every_tasks_time_limit() -> None:
    app.loader.import_default_modules()  # every app's tasks, as a worker registers them
    visibility_timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert len(app.tasks) > 5
    for name, task in app.tasks.items():
        limit = task.time_limit or app.conf.task_time_limit
        assert limit, f"{name} has no time limit: Redis would deliver it twice past an hour"
        assert limit < visibility_timeout, (name, limit, visibility_timeout)


def test_a_sync_delivery_ends_well_inside_the_time_limit() -> None:
    from django.conf import settings

    assert app.conf.task_time_limit / 2 >= settings.SYNC_DELIVERY_SECONDS
