"""Password rule on top of Django's validators: mix character classes.

Government information-security baselines (等保) ask for passwords that mix letters,
digits and symbols; length alone is checked by Django's MinimumLengthValidator.
"""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)


class CharacterClassValidator:
    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def _count(self, password):
        found = sum(any(c in cls for c in password) for cls in CLASSES)
        found += any(not c.isalnum() for c in password)
        return found

    def validate(self, password, user=None):
        if self._count(password) < self.min_classes:
            raise ValidationError(
                _("密码过于简单：请至少包含大写字母、小写字母、数字、符号中的 %(n)d 类。"),
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self):
        return _("密码须至少包含大写字母、小写字母、数字、符号中的 %(n)d 类。") % {"n": self.min_classes}
