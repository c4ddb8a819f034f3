"""Search terms for Chinese names: single characters and character bigrams.

Chinese has no spaces between words, so "find a company by part of its name" is a substring match.
A trigram index (pg_trgm) needs three characters and misses the common two-character query
(e.g. 建材); bigrams plus single characters cover every query of one or more characters: a
query's bigrams must all be among the name's grams (a necessary condition, checked by an indexed
array containment), and the final substring test removes the rare false positive.

Both the publisher (which stores ``PenaltyDisclosure.name_grams`` and ``search_terms``) and the public search (which
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


def region_terms(path):
    """One term per region on ``path`` (``370000/370800/370811/``), from the top down:
    ``r:370000/``, ``r:370000/370800/``, ``r:370000/370800/370811/``. A record in a region's subtree
    is exactly a record whose terms include that region's (``region_path LIKE path || '%'``)."""
    parts = [part for part in (path or "").split("/") if part]
    return ["r:" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def search_terms(name, region_path):
    """The stored ``search_terms``: the name's grams, then its region terms, space separated.

    One GIN index over these answers "part of a name inside a region" with one containment test,
    instead of fetching every record with that part of a name and then testing its region. The
    publisher and the generator (disclosure/volume.py) both store this; migration 0004 fills old
    rows with the same terms (in SQL on PostgreSQL)."""
    return " ".join([*grams(name), *region_terms(region_path)])


def query_grams(text):
    """The grams a query must find: its bigrams, or its single character when it has one."""
    text = normalise(text)
    if len(text) < 2:
        return [text] if text else []
    return list(dict.fromkeys(text[i : i + 2] for i in range(len(text) - 1)))
