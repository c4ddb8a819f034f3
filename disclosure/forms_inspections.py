"""The agency-side form of a random-inspection item. The rules are disclosure.inspections.check_item."""

from django import forms
from django.core.exceptions import ValidationError

from lawenforce import access
from lawenforce.models import ActionCategory, PowerItem

from . import inspections
from .models import RandomInspectionItem


class InspectionItemForm(forms.ModelForm):
    class Meta:
        model = RandomInspectionItem
        fields = ["name", "power_items", "agencies", "subjects", "content", "method", "ratio", "frequency", "active"]
        widgets = {
            "power_items": forms.CheckboxSelectMultiple,
            "agencies": forms.CheckboxSelectMultiple,
            "content": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        writable = access.agencies_in_scope(user, "change")
        self.fields["agencies"].queryset = writable.order_by("region__path", "name")
        # Only inspection items that one of the user's agencies holds can be chosen.
        self.fields["power_items"].queryset = (
            PowerItem.objects.filter(active=True, action_category=ActionCategory.INSPECTION, agencies__in=writable)
            .distinct()
            .order_by("code")
        )
        if self.instance.pk is None and writable.count() == 1:
            self.initial.setdefault("agencies", list(writable.values_list("pk", flat=True)))

    def clean(self):
        cleaned = super().clean()
        if "power_items" in cleaned and "agencies" in cleaned:
            writable = None
            if not self.user.is_superuser:
                writable = set(access.agencies_in_scope(self.user, "change").values_list("pk", flat=True))
            try:
                inspections.check_item(cleaned["power_items"], inspections.with_held_ids(cleaned["agencies"]), writable)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        self.add_error(field, error)
        return cleaned
