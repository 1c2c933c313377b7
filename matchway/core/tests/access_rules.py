from tests.access import Rule

URL_RULES = {
    "home": Rule.public(),
    "healthz": Rule.public(),
    "sitemap": Rule.public(),
    "dashboard": Rule.signed_in(),
    "core:audit-log": Rule.only("coordinator"),
    "django.contrib.sitemaps.views.sitemap": Rule.public(),
}
URL_PREFIX_RULES = {
    "account_": Rule.external("django-allauth sign-up, login, email and password flows"),
    "mfa_": Rule.external("django-allauth two-factor flows (require a signed-in user)"),
    "admin:": Rule.external("Django admin: is_staff only"),
    "api:": Rule.external("JSON API: classified per operation in API_RULES"),
}
API_RULES = {
    "accounts_me_get": Rule.signed_in(),
    "accounts_me_update": Rule.signed_in(method="patch", body={"full_name": "Same Name"}),
    "reference_specialty_list": Rule.public(),
}
