"""Text folding shared by the resolver and the id maker."""

from __future__ import annotations

import re
import unicodedata

# Only the Latin/Greek/Cyrillic combining diacritics: the Japanese voicing marks
# (U+3099, U+309A) are also combining marks, and dropping them would make
# different kana the same.
_DIACRITICS = re.compile("[\u0300-\u036f]")


def fold_accents(text: str) -> str:
    """``"Zürich"`` -> ``"Zurich"``; leaves kana and kanji as they are.

    >>> fold_accents("Île-de-France Région")
    'Ile-de-France Region'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFKC", _DIACRITICS.sub("", decomposed))
