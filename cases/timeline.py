"""Entries other apps add to a case's timeline (办案过程记录), without writing case rows.

Supervision records alerts, supervision notices and dossier evaluations in its own tables; the
timeline page asks every registered source for the entries of one case and merges them by
time. A source is a callable `source(case) -> list of dicts` with the keys the timeline
template reads: kind, at, who, step, summary, and optionally link. It must run a fixed number
of queries. Sources register from their AppConfig.ready().
"""

_sources = []


def register_source(source):
    if source not in _sources:
        _sources.append(source)


def extra_entries(case):
    entries = []
    for source in _sources:
        entries.extend(source(case))
    return entries
