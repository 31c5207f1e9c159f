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
>>> from casuistry.privacy import redact_text
>>> redact_text("Bel ０６\u00a0１２３４５６７８ of mail jan＠voorbeeld.nl")
'Bel [TELEFOON] of mail [E-MAIL]'
"""

from casuistry.lazy import attach

# The function, not its module of the same name, which importing it would bind here.
from casuistry.privacy.normalise import normalise as normalise

# The other names are imported on first use: reading and validating need the scan
# only, not the pseudonyms and the time shift (about 0.03 s of imports).
__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        "IDENTIFIER_KINDS": "casuistry.privacy.detect",
        "PLACEHOLDERS": "casuistry.privacy.detect",
        "ROLE_WORDS": "casuistry.privacy.pseudonymise",
        "AnonymiseError": "casuistry.errors",
        "Identifier": "casuistry.privacy.detect",
        "anonymise": "casuistry.privacy.pseudonymise",
        "check_key": "casuistry.privacy.keys",
        "find_identifiers": "casuistry.privacy.detect",
        "normalise": "casuistry.privacy.normalise",  # imported above; listed for __all__
        "redact_text": "casuistry.privacy.detect",
        "scan_identifiers": "casuistry.privacy.scan",
        "scan_labels": "casuistry.privacy.scan",
    },
)
