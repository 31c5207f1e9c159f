"""The identifier guard: find direct identifiers, redact them, anonymise tables.

Case tables must arrive anonymised (the case format, section 4). This package
finds the direct identifiers that slip through most often and helps remove
them, one job per module:

- :mod:`~casuistry.privacy.normalise`: the one normalisation in front of the
  guard (NFKC, format characters removed, every digit, space and dash made
  plain), so an identifier typed differently is still found;
- :mod:`~casuistry.privacy.detect`: :func:`find_identifiers` and
  :func:`redact_text` on one text, and what counts as an identifier;
- :mod:`~casuistry.privacy.scan`: :func:`scan_identifiers` over the cells of
  a table and :func:`scan_labels` over its headers and sheet names;
- :mod:`~casuistry.privacy.pseudonymise`: :func:`anonymise`, keyed
  pseudonyms and redaction of whole tables;
- :mod:`~casuistry.privacy.time_shift`: the secret time shift per case;
- :mod:`~casuistry.privacy.keys`: :func:`check_key` and the keyed digests
  both rest on;
- :mod:`~casuistry.privacy.names`: person names in free text, only with the
  optional extra ``casuistry[deduce]``.

Examples
--------
>>> redact_text("Bel ０６\u00a0１２３４５６７８ of mail jan＠voorbeeld.nl")
'Bel [TELEFOON] of mail [E-MAIL]'
"""

from casuistry.errors import AnonymiseError
from casuistry.privacy.detect import (
    IDENTIFIER_KINDS,
    PLACEHOLDERS,
    Identifier,
    find_identifiers,
    redact_text,
)
from casuistry.privacy.keys import check_key
from casuistry.privacy.normalise import normalise
from casuistry.privacy.pseudonymise import ROLE_WORDS, anonymise
from casuistry.privacy.scan import scan_identifiers, scan_labels

__all__ = [
    "IDENTIFIER_KINDS",
    "PLACEHOLDERS",
    "ROLE_WORDS",
    "AnonymiseError",
    "Identifier",
    "anonymise",
    "check_key",
    "find_identifiers",
    "normalise",
    "redact_text",
    "scan_identifiers",
    "scan_labels",
]
