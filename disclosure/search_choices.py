"""The public search form's option lists (处罚机关, 行政区划, 违法行为类型), built once per process.

Every search page shows these three <select>s. Reading them from the database and rendering each
<option> through Django's widget templates cost about a third of a search page's Python time
(benchmark in docs/benchmarks.md, "Public penalty search"), so the lists are kept in the process
for ``SECONDS`` and the select renders its options by joining strings (``FastSelect``).

Only the *displayed* options are cached: a submitted choice is still checked against the
database by ``ModelChoiceField`` (an agency deactivated a moment ago is refused at once).
A save or delete of an agency, region or power item clears the lists of the saving process
(signals connected in disclosure/apps.py); other processes see the change within ``SECONDS``.
Bulk updates bypass signals: call ``clear_cache()`` after them.
"""

import time

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

SECONDS = 60
_cache = {"at": None, "lists": None}


def clear_cache(*args, **kwargs):
    """Forget the lists. Also the post_save/post_delete receiver, hence the signal arguments."""
    _cache.update(at=None, lists=None)


def querysets():
    """{"agency" | "region" | "item": queryset} of what the public may choose, in display order:
    the one definition, used by the option lists here and by the form's check of a submitted
    choice (disclosure/search.py), so the two cannot drift apart."""
    from lawenforce.models import Agency, PowerItem, Region
    from lawenforce.models.catalogue import ActionCategory

    return {
        "agency": Agency.objects.active().exclude(sector="justice").order_by("region__path", "name"),
        "region": Region.objects.filter(level__lte=3).order_by("path"),
        "item": PowerItem.objects.filter(action_category=ActionCategory.PENALTY, active=True).order_by("code"),
    }


def _build():
    qs = querysets()
    return {
        "agency": [(str(pk), name) for pk, name in qs["agency"].values_list("pk", "name")],
        "region": [
            (str(pk), "\u3000" * max(level - 1, 0) + name)
            for pk, level, name in qs["region"].values_list("pk", "level", "name")
        ],
        "item": [(str(pk), name) for pk, name in qs["item"].values_list("pk", "name")],
    }


def lists():
    """{"agency" | "region" | "item": [(value, label), …]}, rebuilt after ``SECONDS``."""
    now = time.monotonic()
    if _cache["lists"] is None or now - _cache["at"] >= SECONDS:
        _cache.update(lists=_build(), at=now)
    return _cache["lists"]


class FastSelect(forms.Select):
    """A <select> whose options are joined as strings instead of one template each.

    Same markup as Django's Select for flat choices (no option groups): the attributes the bound
    field adds (id, aria-describedby, aria-invalid) are kept, the chosen value is ``selected``.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) in chosen else "", label) for key, label in self.choices),
        )
        html = format_html(
            '<select name="{}"{}>\n{}\n</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )
        return html
