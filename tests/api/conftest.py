"""API clients for the personas: a Django test client that sends a real bearer token on every request."""

import pytest
from django.test import Client

from thidua.accounts.services import api_token_issue


def bearer_client(user) -> Client:
    return Client(headers={"authorization": f"Bearer {api_token_issue(user=user)}"})


@pytest.fixture
def admin_api(admin_user):
    return bearer_client(admin_user)


@pytest.fixture
def officer_api(officer):
    return bearer_client(officer)


@pytest.fixture
def manager_api(manager):
    return bearer_client(manager)


@pytest.fixture
def staff_api(staff):
    return bearer_client(staff)


@pytest.fixture
def auditor_api(auditor):
    return bearer_client(auditor)


@pytest.fixture
def outsider_api(outsider):
    return bearer_client(outsider)
