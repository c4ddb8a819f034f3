"""Demo data for `manage.py seed_demo`: a small, realistic jurisdiction in Shandong.

Data lives in small modules (regions, agencies, people, laws, catalogue); `seed` builds it
idempotently by natural keys, `bulk` adds a generated volume for benchmarks. Everything here
is demonstration data: region codes and names and the quoted statute text are real; the
agencies' credit codes, addresses, certificates and people are invented.
"""
