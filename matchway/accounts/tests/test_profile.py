import pytest
from django.urls import reverse

from matchway.accounts.models import ApplicantProfile, User
from matchway.accounts.selectors import profile_completeness

pytestmark = pytest.mark.django_db


def test_signup_creates_an_applicant_with_a_profile(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Nadia Haddad",
            "email": "nadia@example.com",
            "password1": "a-long-secure-pass-42",
            "password2": "a-long-secure-pass-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nadia@example.com")
    assert user.role == "applicant"
    assert user.full_name == "Nadia Haddad"
    assert ApplicantProfile.objects.filter(user=user).exists()
    assert "confirm" in mailoutbox[-1].subject.lower()
    assert mailoutbox[-1].alternatives, "the confirmation email has an HTML part"


def test_signup_cannot_choose_a_role(client):
    client.post(
        reverse("account_signup"),
        {
            "full_name": "Sneaky",
            "email": "sneaky@example.com",
            "password1": "a-long-secure-pass-42",
            "password2": "a-long-secure-pass-42",
            "role": "coordinator",
        },
    )
    assert User.objects.get(email="sneaky@example.com").role == "applicant"


def test_profile_completeness_grows(applicant, reference_data):
    profile = applicant.applicant_profile
    before = profile_completeness(profile)
    assert before.percent < 50
    assert "medical school" in before.missing
    profile.medical_school = "Cairo University"
    profile.country = "Egypt"
    profile.save()
    after = profile_completeness(profile)
    assert after.percent > before.percent
    assert "medical school" not in after.missing


def test_profile_form_keeps_input_on_error(applicant_client):
    response = applicant_client.post(
        reverse("accounts:profile"),
        {
            "user-full_name": "Alice Adeyemi",
            "user-timezone": "America/New_York",
            "profile-medical_school": "Typed School",
            "profile-graduation_year": "1800",
        },
    )
    assert response.status_code == 200
    assert b"Typed School" in response.content
    assert b"Enter a year between 1950 and 2040." in response.content


def test_profile_saves_and_is_audited(applicant, applicant_client, reference_data):
    response = applicant_client.post(
        reverse("accounts:profile"),
        {
            "user-full_name": "Alice A. Adeyemi",
            "user-timezone": "Africa/Lagos",
            "profile-medical_school": "University of Ibadan",
            "profile-country": "Nigeria",
            "profile-graduation_year": "2022",
            "profile-visa_need": "j1",
            "profile-target_specialties": ["140"],
        },
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.timezone == "Africa/Lagos"
    assert applicant.applicant_profile.medical_school == "University of Ibadan"
    from matchway.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="profile.updated", actor=applicant).exists()


def test_preceptor_sees_teaching_profile(preceptor_client):
    response = preceptor_client.get(reverse("accounts:profile"))
    assert b"Teaching profile" in response.content


def test_login_rate_limit(client, applicant):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": applicant.email, "password": "wrong"})
    # Even the right password is refused while the account is throttled.
    blocked = client.post(
        reverse("account_login"),
        {"login": applicant.email, "password": "correct-horse-battery-staple"},
    )
    assert b"Too many failed login attempts" in blocked.content
    assert "_auth_user_id" not in client.session


def test_short_name_skips_titles(preceptor):
    assert preceptor.get_short_name() == "Bob"
    preceptor.full_name = "Prof. Dr. Ana Lima"
    assert preceptor.get_short_name() == "Ana"
    preceptor.full_name = ""
    assert preceptor.get_short_name() == preceptor.email
