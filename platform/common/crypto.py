"""Encryption at rest for secrets: model provider keys and connection credentials.

ENCRYPTION_KEYS holds comma-separated Fernet keys: the first encrypts, all decrypt, so a key
is rotated by putting a new one in front and re-saving the credentials. An embedded install
without the variable gets one key generated into DATA_DIR/encryption_keys, like the secret key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from common.errors import DomainError


class CredentialUnreadable(DomainError):
    status = 500
    code = "credential_unreadable"


def _generated_keys(data_dir: Path) -> list[str]:
    path = data_dir / "encryption_keys"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode() + "\n")
        path.chmod(0o600)
    return path.read_text().split()


@lru_cache(maxsize=4)
def _fernet(configured: str, data_dir: str) -> MultiFernet:
    keys = [key.strip() for key in configured.split(",") if key.strip()]
    if not keys:
        keys = _generated_keys(Path(data_dir))
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    return _fernet(os.environ.get("ENCRYPTION_KEYS", ""), str(settings.DATA_DIR))


def encrypt(secret: str) -> str:
    return _current().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise CredentialUnreadable(
            "A stored secret cannot be decrypted with the configured ENCRYPTION_KEYS. "
            "Restore the old key in ENCRYPTION_KEYS, or ask an admin to enter the secret again."
        ) from error


def encrypt_json(secret: Mapping[str, Any]) -> str:
    return encrypt(json.dumps(dict(secret), sort_keys=True))


def decrypt_json(token: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(decrypt(token))
    return value


def rotate(token: str) -> str:
    """Re-encrypt under the first key of ENCRYPTION_KEYS (after a new key was put in front)."""
    return _current().rotate(token.encode()).decode()
