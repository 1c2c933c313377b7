"""form_add_errors: service errors land beside their fields, the rest on top, once."""

from __future__ import annotations

from django import forms

from matchway.core.exceptions import CapacityError, ValidationFailed
from matchway.core.forms import form_add_errors


class _Form(forms.Form):
    name = forms.CharField(required=False)
    amount = forms.IntegerField(required=False)


def _bound() -> _Form:
    form = _Form(data={})
    assert form.is_valid()
    return form


def test_field_errors_go_beside_fields_without_a_summary() -> None:
    form = _bound()
    form_add_errors(form, ValidationFailed("Fix it.", errors={"name": ["Too long."]}))
    assert form.errors["name"] == ["Too long."]
    assert form.non_field_errors() == []


def test_field_map_renames_service_fields() -> None:
    form = _bound()
    exc = ValidationFailed("Fix it.", errors={"amount_cents": ["Too much."]})
    form_add_errors(form, exc, field_map={"amount_cents": "amount"})
    assert form.errors["amount"] == ["Too much."]


def test_unknown_fields_go_on_top_after_the_message() -> None:
    form = _bound()
    exc = ValidationFailed(
        "Cannot confirm.", errors={"documents": ["Passport: missing"], "name": ["Empty."]}
    )
    form_add_errors(form, exc)
    assert form.non_field_errors() == ["Cannot confirm.", "Passport: missing"]
    assert form.errors["name"] == ["Empty."]


def test_all_errors_equal_to_the_message_show_once() -> None:
    form = _bound()
    form_add_errors(form, ValidationFailed("Closed.", errors={"__all__": ["Closed."]}))
    assert form.non_field_errors() == ["Closed."]


def test_errors_without_fields_show_their_message() -> None:
    form = _bound()
    form_add_errors(form, CapacityError())
    assert form.non_field_errors() == [str(CapacityError().message)]
