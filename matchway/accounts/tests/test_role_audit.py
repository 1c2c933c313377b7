"""Role and permission changes are audited, including those made in the Django admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from matchway.accounts.models import User
from matchway.accounts.tests.factories import UserFactory
from matchway.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> User:
    return User.objects.create_superuser(
        email="operator@example.com", password="operator-pass-1234", full_name="Olu Operator"
    )


@pytest.fixture
def admin(operator: User) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def _form(user: User, **changes: Any) -> dict[str, Any]:
    user.refresh_from_db()
    data: dict[str, Any] = {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "timezone": user.timezone,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "groups": [str(g.pk) for g in user.groups.all()],
        "user_permissions": [str(p.pk) for p in user.user_permissions.all()],
    }
    for flag in ("is_active", "is_staff", "is_superuser"):
        if getattr(user, flag):
            data[flag] = "on"
    for key, value in changes.items():
        if value is False:
            data.pop(key, None)
        elif value is True:
            data[key] = "on"
        else:
            data[key] = value
    return data


def _save(admin: Client, user: User, **changes: Any) -> None:
    url = reverse("admin:accounts_user_change", args=[user.pk])
    response = admin.post(url, _form(user, **changes))
    assert response.status_code == 302, (
        getattr(response, "context", None) and response.context["adminform"].form.errors
    )


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_role_change_in_admin_is_audited_with_actor(admin: Client, operator: User) -> None:
    user = UserFactory(email="promoted@example.com", role="applicant")
    _save(admin, user, role="coordinator")
    (event,) = _events("account.role_changed")
    assert event.actor == operator
    assert event.target_id == str(user.pk)
    assert event.data == {"from": "applicant", "to": "coordinator"}


def test_staff_and_superuser_flags_are_audited(admin: Client, operator: User) -> None:
    user = UserFactory(email="staffed@example.com")
    _save(admin, user, is_staff=True, is_superuser=True)
    (event,) = _events("account.permissions_changed")
    assert event.actor == operator
    assert event.data == {
        "is_staff": {"from": False, "to": True},
        "is_superuser": {"from": False, "to": True},
    }


def test_deactivation_and_reactivation_are_audited(admin: Client, operator: User) -> None:
    user = UserFactory(email="paused@example.com")
    _save(admin, user, is_active=False)
    _save(admin, user, is_active=True)
    assert [
        e.action
        for e in AuditEvent.objects.filter(target_id=str(user.pk)).order_by("pk")
        if e.action.startswith("account.")
    ] == ["account.deactivated", "account.reactivated"]
    assert all(e.actor == operator for e in _events("account.deactivated"))


def test_group_and_permission_membership_is_audited(admin: Client, operator: User) -> None:
    user = UserFactory(email="grouped@example.com")
    group = Group.objects.create(name="Reviewers")
    perm = Permission.objects.get(codename="view_user")
    _save(admin, user, groups=[str(group.pk)], user_permissions=[str(perm.pk)])
    (groups_event,) = _events("account.groups_changed")
    assert groups_event.actor == operator
    assert groups_event.data == {"added": ["Reviewers"], "removed": []}
    (perms_event,) = _events("account.user_permissions_changed")
    assert perms_event.data == {"added": ["accounts.view_user"], "removed": []}

    _save(admin, user, groups=[], user_permissions=[])
    assert _events("account.groups_changed")[-1].data == {"added": [], "removed": ["Reviewers"]}
    assert _events("account.user_permissions_changed")[-1].data == {
        "added": [],
        "removed": ["accounts.view_user"],
    }


def test_saving_without_changes_writes_no_role_events(admin: Client) -> None:
    user = UserFactory(email="unchanged@example.com")
    _save(admin, user)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert not actions & {
        "account.role_changed",
        "account.permissions_changed",
        "account.deactivated",
        "account.reactivated",
        "account.groups_changed",
        "account.user_permissions_changed",
    }


def test_changes_outside_a_request_have_no_actor(db: None) -> None:
    user = UserFactory(email="scripted@example.com")
    user.role = "preceptor"
    user.is_active = False
    user.save()
    role = AuditEvent.objects.get(action="account.role_changed")
    assert role.actor is None
    assert role.data == {"from": "applicant", "to": "preceptor"}
    assert AuditEvent.objects.filter(action="account.deactivated", actor=None).exists()


def test_new_users_do_not_log_role_changes(db: None) -> None:
    UserFactory(email="fresh@example.com", role="coordinator")
    assert not AuditEvent.objects.filter(action="account.role_changed").exists()


def test_membership_changed_from_the_group_side_or_cleared_is_audited(db: None) -> None:
    user = UserFactory(email="member@example.com")
    group = Group.objects.create(name="Operators")
    group.user_set.add(user)
    user.groups.clear()
    events = _events("account.groups_changed")
    assert [(e.target_id, e.data) for e in events] == [
        (str(user.pk), {"added": ["Operators"], "removed": []}),
        (str(user.pk), {"added": [], "removed": ["Operators"]}),
    ]
    assert all(e.actor is None for e in events)
