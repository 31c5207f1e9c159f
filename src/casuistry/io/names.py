"""Safe, unique and stable file names derived from case ids.

A case id may hold anything: slashes, ``..``, control characters, a Windows
device name such as ``CON``, three hundred characters, or differ from another
id only in upper and lower case. :func:`case_file_name` turns every id into a
file name that

- is valid on Linux, macOS and Windows: lower-case ASCII letters, digits,
  ``-`` and ``_`` only, not a reserved device name, at most 64 characters
  before the suffix;
- is unique: two different ids never get the same name, also on a file system
  that ignores case, and no id gets the name of ``index.html``;
- depends on the id alone, so it is the same in every run and every corpus.

An id that is already such a name (lower case, digits and hyphens, starting
with a letter or digit, at most 64 characters, not ``index`` nor a device
name) is kept as it is. Any other id becomes a readable slug of at most 40
characters, an underscore and the first 16 hex digits of the SHA-256 of the
id. Kept names never hold an underscore, so they cannot meet a hashed one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["case_file_name"]

_KEPT = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_SLUG_LENGTH = 40
_HASH_LENGTH = 16
#: Names a file may not have: the index page, and Windows devices (any extension).
_RESERVED = frozenset(
    ["index", "con", "prn", "aux", "nul", "conin$", "conout$"]
    + [f"{device}{n}" for device in ("com", "lpt") for n in "0123456789"]
)


def case_file_name(case_id: object, *, suffix: str = ".html") -> str:
    """The file name of a case's output.

    Parameters
    ----------
    case_id : object
        The case id (converted with ``str``).
    suffix : str, keyword-only
        The extension, dot included.

    Returns
    -------
    str
        A name of at most 64 characters plus ``suffix``.

    Examples
    --------
    >>> case_file_name("jb-0001")
    'jb-0001.html'
    >>> case_file_name("index")
    'index_1bc04b5291c26a46.html'
    >>> case_file_name("../x")
    'x_d6b96a97d147daaa.html'
    >>> case_file_name("A1") != case_file_name("a1")
    True
    """
    text = str(case_id)
    if _KEPT.fullmatch(text) and text not in _RESERVED:
        return text + suffix
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_LENGTH]
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:_SLUG_LENGTH].strip("-")
    return f"{slug or 'case'}_{digest}{suffix}"
