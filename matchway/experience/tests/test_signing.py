"""Ed25519 signing over canonical JSON: round trip, tampering, wrong keys, key sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured

from matchway.core import signing

FACTS = {
    "number": "MW-ABCDEFGH23",
    "applicant_name": "Nguyễn Thị Hương",
    "confirmed_hours": "152.0",
    "preceptors": ["Dr. Daniel Reyes"],
    "weeks": 4,
    "hands_on": False,
}


def _pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def test_canonical_json_is_sorted_compact_utf8() -> None:
    data = signing.canonical_json({"b": 1, "a": "é", "c": [1, 2]})
    assert data == '{"a":"é","b":1,"c":[1,2]}'.encode()


def test_sign_and_verify_round_trip() -> None:
    signature = signing.sign_facts(FACTS)
    assert "=" not in signature.value  # base64url without padding
    assert len(signing.b64url_decode(signature.value)) == 64
    assert signing.verify_facts(dict(FACTS), signature.value, kid=signature.key_id)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("applicant_name", "Nguyen Thi Huong"),
        ("confirmed_hours", "252.0"),
        ("hands_on", True),
        ("number", "MW-ABCDEFGH24"),
    ],
)
def test_a_changed_field_fails(field: str, value: Any) -> None:
    signature = signing.sign_facts(FACTS)
    assert not signing.verify_facts({**FACTS, field: value}, signature.value)


def test_an_added_field_fails() -> None:
    signature = signing.sign_facts(FACTS)
    assert not signing.verify_facts({**FACTS, "note": "extra"}, signature.value)


def test_a_wrong_key_fails() -> None:
    forged = Ed25519PrivateKey.generate()
    signature = signing.b64url_encode(forged.sign(signing.canonical_json(FACTS)))
    assert not signing.verify_facts(FACTS, signature)
    # ...and it does verify with the forger's own key, so the check is real.
    assert signing.verify_facts(FACTS, signature, public_key=forged.public_key())


def test_an_unknown_key_id_fails() -> None:
    signature = signing.sign_facts(FACTS)
    assert not signing.verify_facts(FACTS, signature.value, kid="0000000000000000")


@pytest.mark.parametrize("garbage", ["", "not base64!", "AAAA", "é"])
def test_garbage_signatures_fail_without_raising(garbage: str) -> None:
    assert not signing.verify_facts(FACTS, garbage)


def test_key_from_settings_pem(settings: Any) -> None:
    key = Ed25519PrivateKey.generate()
    settings.CERTIFICATE_SIGNING_KEY = _pem(key)
    assert signing.key_id(signing.current_public_key()) == signing.key_id(key.public_key())


def test_key_from_settings_file(settings: Any, tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "signing.pem"
    path.write_text(_pem(key))
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(path)
    assert signing.key_id(signing.current_public_key()) == signing.key_id(key.public_key())


def test_production_without_a_key_fails_clearly(settings: Any) -> None:
    settings.CERTIFICATE_DEV_KEY_ALLOWED = False
    with pytest.raises(ImproperlyConfigured, match="CERTIFICATE_SIGNING_KEY"):
        signing.sign_facts(FACTS)


def test_prod_settings_never_allow_a_dev_key() -> None:
    source = (Path(__file__).resolve().parents[3] / "config/settings/prod.py").read_text()
    assert "CERTIFICATE_DEV_KEY_ALLOWED = False" in source


def test_a_non_ed25519_key_is_refused(settings: Any) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1())
    settings.CERTIFICATE_SIGNING_KEY = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    with pytest.raises(ImproperlyConfigured, match="Ed25519"):
        signing.signing_key()


def test_dev_key_is_created_once_and_reused(settings: Any, tmp_path: Path) -> None:
    settings.CERTIFICATE_DEV_KEY_PATH = tmp_path / "dev.pem"
    first = signing.key_id(signing.current_public_key())
    assert (tmp_path / "dev.pem").stat().st_mode & 0o777 == 0o600
    settings.CERTIFICATE_DEV_KEY_PATH = tmp_path / "dev.pem"  # same path, cache reset
    signing._cache.clear()
    assert signing.key_id(signing.current_public_key()) == first


def test_retired_keys_still_verify_old_signatures(settings: Any, tmp_path: Path) -> None:
    old = Ed25519PrivateKey.generate()
    settings.CERTIFICATE_SIGNING_KEY = _pem(old)
    signature = signing.sign_facts(FACTS)
    # Rotate: a new signing key, the old public key kept in the retired bundle.
    bundle = tmp_path / "retired.pem"
    bundle.write_text("# retired 2026\n" + signing.public_key_pem(old.public_key()))
    settings.CERTIFICATE_SIGNING_KEY = _pem(Ed25519PrivateKey.generate())
    settings.CERTIFICATE_RETIRED_PUBLIC_KEYS_FILE = str(bundle)
    assert signing.verify_facts(FACTS, signature.value, kid=signature.key_id)
    assert signature.key_id in signing.public_keys()
