"""Idempotent writes by natural key: create what is missing, change only what differs.

Saving a row that did not change would still add a django-simple-history row, so a second run
of the seed must not touch unchanged rows at all; `Tally` also counts what each run did.
"""

from collections import Counter

from django.db import models


def _differs(obj, name, value):
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        # Compare ids so that checking a foreign key does not load the related row.
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


class Tally:
    """Upserts rows and remembers how many were created or changed, per model."""

    def __init__(self):
        self.created = Counter()
        self.updated = Counter()
        self.relinked = Counter()  # many-to-many sets rewritten, per model

    def upsert(self, model, lookup, values, clean=True):
        """The row matching `lookup`, created or brought up to date with `values`; full_clean() before saving."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            self._save(obj, clean)
            self.created[model] += 1
            return obj
        changed = {name: value for name, value in values.items() if _differs(obj, name, value)}
        if changed:
            for name, value in changed.items():
                setattr(obj, name, value)
            self._save(obj, clean)
            self.updated[model] += 1
        return obj

    def set_related(self, obj, name, targets):
        """Make the many-to-many `name` of `obj` exactly `targets`, writing only when it differs."""
        manager = getattr(obj, name)
        wanted = {target.pk for target in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(list(targets))
            self.relinked[type(obj)] += 1

    def count_created(self, model, n=1):
        self.created[model] += n

    def count_updated(self, model, n=1):
        self.updated[model] += n

    @property
    def total_created(self):
        return sum(self.created.values())

    @property
    def total_updated(self):
        return sum(self.updated.values())

    @property
    def total_relinked(self):
        return sum(self.relinked.values())

    @staticmethod
    def _save(obj, clean):
        if clean:
            obj.full_clean()
        obj.save()
