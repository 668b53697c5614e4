"""Fixtures for the accounts tests.

Most tests here need the shipped gazetteer only to have areas to be allowed or refused on.
Loading it takes about a second, so `module_gazetteer` loads it once per test module inside a
transaction that is rolled back when the module is done; each test still runs in its own
savepoint (pytest-django nests them), so what one test changes never reaches the next.
Browser tests (live_server, a flushed database) must not use it.
"""

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def module_gazetteer(django_db_setup, django_db_blocker):
    from muhim.geography.gazetteer import load_gazetteer
    from muhim.geography.models import Area

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        if not Area.objects.exists():
            load_gazetteer()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
