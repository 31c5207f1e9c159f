"""The secret of anonymising: whether a key is good enough, and keyed digests.

Pseudonyms (:mod:`casuistry.privacy.pseudonymise`) and the secret time shift
(:mod:`casuistry.privacy.time_shift`) are both HMAC-SHA256 digests under the
user's key, so the same key gives the same pseudonyms and shifts in a later
delivery, and nobody without it can reverse them.
"""

from __future__ import annotations

import hmac

from casuistry.errors import AnonymiseError

#: The shortest key :func:`anonymise` accepts, in characters.
MIN_KEY_LENGTH = 16
#: How to make a good key, for messages.
MAKE_A_KEY = (
    'make one with `python -c "import secrets; print(secrets.token_urlsafe(32))" > KEY` '
    "and keep that file to pseudonymise later deliveries the same way"
)
UNIT = "\x1f"  # joins a scope and a value into one key


def check_key(key: object) -> bytes:
    """The key as bytes, when it is good enough to pseudonymise with.

    Parameters
    ----------
    key : str or bytes
        The secret; at least :data:`MIN_KEY_LENGTH` characters (bytes)
        besides surrounding white space.

    Returns
    -------
    bytes
        The key as given, UTF-8 encoded.

    Raises
    ------
    AnonymiseError
        When the key is missing, not text, or too short. The message says how
        to make a good key and never contains the key.

    Examples
    --------
    >>> check_key("een-geheime-sleutel-42!")[:3]
    b'een'
    >>> check_key("kort")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    casuistry.errors.AnonymiseError: the key is too short: it needs at least 16 characters; ...
    """
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes) or not key.strip():
        raise AnonymiseError(f"the key is empty or not text: give a secret string; {MAKE_A_KEY}")
    if len(key.strip().decode("utf-8", "replace")) < MIN_KEY_LENGTH:
        raise AnonymiseError(
            f"the key is too short: it needs at least {MIN_KEY_LENGTH} characters; {MAKE_A_KEY}"
        )
    return key


def digest(secret: bytes, *parts: str) -> str:
    """HMAC-SHA256 of the parts under the secret, as hex."""
    return hmac.digest(secret, UNIT.join(parts).encode("utf-8"), "sha256").hex()
