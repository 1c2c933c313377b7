"""Ed25519 signatures over signed facts (certificates, visa letters). See
docs/dev/certificates.md. Lives in core so every app that issues a signed document (experience
for certificates, rotations for visa letters) uses one key and one format.

The signed message is the canonical JSON of the facts (sorted keys, no spaces, UTF-8), so
anyone holding the public key can re-serialize the facts shown on the verify page and check
the signature offline. Signatures are base64url without padding.

Key sources, in order: `CERTIFICATE_SIGNING_KEY` (PEM text; the env var or its `_FILE`
twin), `CERTIFICATE_SIGNING_KEY_FILE` (a path to a PEM file), and — only where
`CERTIFICATE_DEV_KEY_ALLOWED` (dev and tests; prod.py turns it off) — a key generated on
first use under `var/`. Production without a key fails with `ImproperlyConfigured`.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY_MESSAGE = (
    "No certificate signing key: set CERTIFICATE_SIGNING_KEY (the PEM text) or "
    "CERTIFICATE_SIGNING_KEY_FILE (the path of a PEM file). Generate one with "
    "`openssl genpkey -algorithm ed25519 -out certificate-signing.pem` "
    "(docs/dev/certificates.md). Development keys are never generated in production."
)

_lock = threading.Lock()
_cache: dict[str, Any] = {}


def canonical_json(facts: dict[str, Any]) -> bytes:
    """The exact bytes that are signed: sorted keys, no whitespace, UTF-8 (not ASCII-escaped)."""
    return json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    padding = "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(text + padding)


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short fingerprint of the public key, stored with each certificate (key rotation)."""
    raw = public_key.public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PublicFormat.SubjectPublicKeyInfo,
    ).decode("ascii")


def _load_private_pem(pem: str | bytes, source: str) -> Ed25519PrivateKey:
    data = pem.encode("utf-8") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"{source} is not a readable unencrypted PEM key.") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{source} must be an Ed25519 private key.")
    return key


def _dev_key(path: Path) -> Ed25519PrivateKey:
    """Read the development key, creating it once. Never reached in production."""
    if path.exists():
        return _load_private_pem(path.read_bytes(), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".certkey-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.chmod(tmp, 0o600)
        # link() fails if another process created the key first: then everyone uses that
        # one, so parallel test workers never sign with different dev keys.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return _load_private_pem(path.read_bytes(), str(path))


def _configured_private_key() -> Ed25519PrivateKey:
    pem = getattr(settings, "CERTIFICATE_SIGNING_KEY", "") or ""
    if pem.strip():
        return _load_private_pem(pem, "CERTIFICATE_SIGNING_KEY")
    file_path = getattr(settings, "CERTIFICATE_SIGNING_KEY_FILE", "") or ""
    if file_path:
        path = Path(file_path)
        if not path.is_file():
            raise ImproperlyConfigured(f"CERTIFICATE_SIGNING_KEY_FILE {path} does not exist.")
        return _load_private_pem(path.read_bytes(), str(path))
    if getattr(settings, "CERTIFICATE_DEV_KEY_ALLOWED", False):
        return _dev_key(Path(settings.CERTIFICATE_DEV_KEY_PATH))
    raise ImproperlyConfigured(MISSING_KEY_MESSAGE)


def _settings_fingerprint() -> str:
    return "|".join(
        str(getattr(settings, name, ""))
        for name in (
            "CERTIFICATE_SIGNING_KEY",
            "CERTIFICATE_SIGNING_KEY_FILE",
            "CERTIFICATE_DEV_KEY_ALLOWED",
            "CERTIFICATE_DEV_KEY_PATH",
            "CERTIFICATE_RETIRED_PUBLIC_KEYS_FILE",
        )
    )


def signing_key() -> Ed25519PrivateKey:
    """The current private key (cached per configuration, so tests can swap settings)."""
    fingerprint = _settings_fingerprint()
    with _lock:
        if _cache.get("fingerprint") != fingerprint:
            _cache.clear()
            _cache["fingerprint"] = fingerprint
        if "private" not in _cache:
            _cache["private"] = _configured_private_key()
        key: Ed25519PrivateKey = _cache["private"]
        return key


def current_public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def retired_public_keys() -> dict[str, Ed25519PublicKey]:
    """Public keys of rotated-out signing keys, by key id (they still verify old certificates)."""
    path = getattr(settings, "CERTIFICATE_RETIRED_PUBLIC_KEYS_FILE", "") or ""
    if not path:
        return {}
    keys: dict[str, Ed25519PublicKey] = {}
    text = Path(path).read_text(encoding="utf-8")
    marker = "-----END PUBLIC KEY-----"
    for block in text.split(marker):
        if "-----BEGIN PUBLIC KEY-----" not in block:
            continue
        pem = block[block.index("-----BEGIN PUBLIC KEY-----") :] + marker + "\n"
        loaded = serialization.load_pem_public_key(pem.encode("ascii"))
        if isinstance(loaded, Ed25519PublicKey):
            keys[key_id(loaded)] = loaded
    return keys


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every key a certificate may have been signed with: the current one and retired ones."""
    current = current_public_key()
    return {**retired_public_keys(), key_id(current): current}


@dataclass(frozen=True)
class Signature:
    value: str
    key_id: str


def sign_facts(facts: dict[str, Any]) -> Signature:
    key = signing_key()
    raw = key.sign(canonical_json(facts))
    return Signature(value=b64url_encode(raw), key_id=key_id(key.public_key()))


def verify_facts(
    facts: dict[str, Any],
    signature: str,
    *,
    public_key: Ed25519PublicKey | None = None,
    kid: str = "",
) -> bool:
    """True when `signature` is a valid Ed25519 signature of the canonical facts.

    With no explicit `public_key`, the key is chosen by `kid` among the current and retired
    keys (falling back to the current key when `kid` is empty). Never raises on bad input.
    """
    if public_key is None:
        keys = public_keys()
        if kid:
            candidate = keys.get(kid)
            if candidate is None:
                return False
            public_key = candidate
        else:
            public_key = current_public_key()
    try:
        raw = b64url_decode(signature)
    except (binascii.Error, ValueError):
        return False
    try:
        public_key.verify(raw, canonical_json(facts))
    except InvalidSignature:
        return False
    return True


def load_public_key_pem(pem: str | bytes) -> Ed25519PublicKey:
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    loaded = serialization.load_pem_public_key(data)
    if not isinstance(loaded, Ed25519PublicKey):
        raise ValueError("Not an Ed25519 public key.")
    return loaded
