"""Search terms for Chinese names: single characters and character bigrams.

Chinese has no spaces between words, so "find a company by part of its name" is a substring match.
A trigram index (pg_trgm) needs three characters and misses the common two-character query
(e.g. 建材); bigrams plus single characters cover every query of one or more characters: a
query's bigrams must all be among the name's grams (a necessary condition, checked by an indexed
array containment), and the final substring test removes the rare false positive.

Both the publisher (which stores ``PenaltyDisclosure.name_grams``) and the public search (which
turns a query into grams) use these functions, so the two can never disagree.
"""

import unicodedata

_SPACE = str.maketrans("", "", " \t\r\n\u3000")


def normalise(text):
    """NFKC (full-width letters and digits to half-width), lower case, no spaces."""
    return unicodedata.normalize("NFKC", text or "").lower().translate(_SPACE)


def grams(text):
    """The distinct single characters and bigrams of ``text``, in first-seen order."""
    text = normalise(text)
    seen = dict.fromkeys(text)
    seen.update(dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1)))
    return list(seen)


def name_grams(text):
    """The stored form: grams separated by single spaces."""
    return " ".join(grams(text))


def query_grams(text):
    """The grams a query must find: its bigrams, or its single character when it has one."""
    text = normalise(text)
    if len(text) < 2:
        return [text] if text else []
    return list(dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1)))
