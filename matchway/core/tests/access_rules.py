from tests.access import Rule

URL_RULES = {
    "healthz": Rule.public(),
    "sitemap": Rule.public(),
    "django.contrib.sitemaps.views.sitemap": Rule.public(),
}
URL_PREFIX_RULES = {
    "account_": Rule.external("django-allauth sign-up, login, email and password flows"),
    "mfa_": Rule.external("django-allauth two-factor flows (require a signed-in user)"),
    "admin:": Rule.external("Django admin: is_staff only"),
    "api:": Rule.external("JSON API: classified per operation in API_RULES"),
}
