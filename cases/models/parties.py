"""Parties (当事人) of a case: natural persons, legal persons and other organisations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lawenforce.validators import validate_phone, validate_resident_id, validate_uscc


class PartyKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    LEGAL_PERSON = "legal_person", _("法人")
    OTHER_ORGANISATION = "other_organisation", _("其他组织")


# Thresholds that distinguish 公民 from 法人或者其他组织 (summary procedure, hearing): an
# individual business is run by a citizen, so it counts with natural persons.
PERSON_KINDS = {PartyKind.NATURAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS}


# What an officer enters for a party, in the browser form and the API alike.
PARTY_INPUT_FIELDS = [
    "kind",
    "name",
    "id_number",
    "uscc",
    "legal_representative",
    "address",
    "phone",
    "electronic_service_consent",
    "electronic_address",
]


class Party(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("当事人类型"), max_length=24, choices=PartyKind.choices)
    name = models.CharField(_("名称或姓名"), max_length=128)
    id_number = models.CharField(_("居民身份证号码"), max_length=18, blank=True, validators=[validate_resident_id])
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=64, blank=True)
    address = models.CharField(_("住所或地址"), max_length=256, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True, validators=[validate_phone])
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    electronic_service_consent = models.BooleanField(
        _("同意电子送达"), default=False, help_text=_("当事人书面同意后方可电子送达（《行政处罚法》第六十一条）。")
    )
    electronic_address = models.CharField(_("电子送达地址"), max_length=256, blank=True)
    # This party's own random salt for the digests of its personal fields in the ledger (set on the
    # first save, lawenforce/ledger/hooks.py): without it an ID number cannot be found in a leaf by
    # trying candidates. Erase it together with the personal data. Empty on rows from before it
    # existed: those leaves use the deployment salt (LEDGER_SALT).
    ledger_salt = models.CharField(_("存证加盐值"), max_length=32, blank=True, default="", editable=False)

    history = HistoricalRecords()
    scope_agency_lookup = "case__agency"
    # Salted in the ledger's history leaves (lawenforce/ledger/hooks.py). The name is salted for
    # every kind: a company's name is public, but one rule is simpler than a kind-dependent one.
    ledger_personal_fields = ("name", "id_number", "address", "phone", "birth_date", "electronic_address")
    ledger_salt_field = "ledger_salt"

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = pgettext_lazy("plural", "当事人")
        ordering = ["pk"]
        # Analytics finds a party's other cases by its credit code or ID number (repeat offenders).
        indexes = [
            models.Index(fields=["uscc"], name="party_uscc"),
            models.Index(fields=["id_number"], name="party_id_number"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_person(self):
        return self.kind in PERSON_KINDS

    def clean(self):
        errors = {}
        if self.kind == PartyKind.NATURAL_PERSON and not self.id_number:
            errors["id_number"] = _("当事人为自然人时请填写居民身份证号码。")
        if self.kind in (PartyKind.LEGAL_PERSON, PartyKind.OTHER_ORGANISATION) and not self.uscc:
            errors["uscc"] = _("当事人为法人或其他组织时请填写统一社会信用代码。")
        if self.kind == PartyKind.LEGAL_PERSON and not self.legal_representative:
            errors["legal_representative"] = _("请填写法定代表人。")
        if self.electronic_service_consent and not self.electronic_address:
            errors["electronic_address"] = _("同意电子送达时请填写电子送达地址（手机号码或电子邮箱）。")
        if errors:
            raise ValidationError(errors)
        if self.id_number and not self.birth_date:
            from datetime import date

            self.birth_date = date(int(self.id_number[6:10]), int(self.id_number[10:12]), int(self.id_number[12:14]))
