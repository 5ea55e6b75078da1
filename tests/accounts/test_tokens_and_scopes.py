import datetime

import pytest
from django.utils import timezone

from thidua.accounts import scopes
from thidua.accounts.models import ApiToken
from thidua.accounts.services import api_token_issue, api_token_user, role_revoke


@pytest.mark.django_db
def test_api_token_is_stored_only_as_hash(officer):
    token = api_token_issue(user=officer)
    row = ApiToken.objects.get(user=officer)
    assert token not in (row.key_hash, row.prefix)
    assert row.prefix == token[:8]
    assert api_token_user(token) == officer


@pytest.mark.django_db
def test_api_token_expired_or_inactive_user_is_refused(officer):
    token = api_token_issue(user=officer)
    ApiToken.objects.filter(user=officer).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api_token_user(token) is None
    token = api_token_issue(user=officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert api_token_user(token) is None
    assert api_token_user("not-a-token") is None


@pytest.mark.django_db
def test_role_reaches_subtree_but_not_siblings(officer, office, office2, other_department, department, province):
    assert scopes.can(officer, "person.manage", office)
    assert scopes.can(officer, "person.manage", office2)
    assert scopes.can(officer, "person.manage", department)
    assert not scopes.can(officer, "person.manage", other_department)
    assert not scopes.can(officer, "person.manage", province)
    assert not scopes.can(officer, "role.manage")


@pytest.mark.django_db
def test_staff_sees_only_own_person(staff, staff_person, office):
    from tests.factories import make_person
    from thidua.organizations.selectors import people_visible_to

    colleague = make_person("Phạm Văn Đồng Nghiệp", unit=office)
    visible = set(people_visible_to(staff))
    assert staff_person in visible
    assert colleague not in visible


@pytest.mark.django_db
def test_revoking_a_role_removes_access(officer, office):
    assert scopes.can(officer, "unit.manage", office)
    role_revoke(actor=None, assignment=officer.roles.get())
    assert not scopes.can(officer, "unit.manage", office)
