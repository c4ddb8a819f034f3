"""The one way evidence comes in, and the one way a look at it is recorded.

`add_evidence` checks the case, the officer, the file's real type, its size and the collection
time, saves the file to the default storage by streaming it from the temporary upload and
creates the item. The browser view and the API both call it; a refusal is an `EvidenceError`
carrying a Chinese message, a stable code and the field it belongs to.

The case is reached by model label ("cases.Case"): this app imports no `cases` code.
"""

import datetime
import re
import unicodedata
import uuid
from pathlib import PurePosixPath

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lawenforce.access import get_in_scope_or_404, officer_of, restrict
from lawenforce.ledger import log as ledger

from .models import AccessAction, EvidenceAccess, EvidenceItem
from .sniffing import allowed_summary, sniff
from .uploads import max_upload_size, too_large_message

ARCHIVED = "archived"
# Phones' clocks drift; a collection time this far ahead of the server is still accepted.
CLOCK_SKEW = datetime.timedelta(minutes=10)


class EvidenceError(ValidationError):
    """A refused upload: `text` for people, `rule_code` for programs, `field` for forms."""

    def __init__(self, message, *, code, field=None):
        self.rule_code = code
        self.field = field
        super().__init__({field: [message]} if field else message, code=code)

    @property
    def text(self):
        return self.messages[0]


def case_model():
    return apps.get_model("cases", "Case")


def case_for_view(user, pk):
    return get_in_scope_or_404(case_model().objects.select_related("agency"), user, "view", pk=pk)


def can_upload(user, case):
    """An active officer who may change the case (never a supervisor), and the case not archived."""
    return (
        officer_of(user) is not None
        and case.state != ARCHIVED
        and restrict(case_model().objects.filter(pk=case.pk), user, "change").exists()
    )


def case_for_upload(user, pk):
    """The case and the acting officer: 404 out of sight, 403 in read scope only or without an officer record."""
    case = case_for_view(user, pk)
    if not restrict(case_model().objects.filter(pk=case.pk), user, "change").exists():
        raise PermissionDenied(_("您可以查阅此案件，但无权为其上传证据。"))
    officer = officer_of(user)
    if officer is None:
        raise PermissionDenied(_("您的账号没有关联在岗的执法人员，不能上传证据。"))
    return case, officer


def check_case_open(case):
    if case.state == ARCHIVED:
        raise EvidenceError(_("案件已归档，不能再补充证据。"), code="case_archived")


_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def sanitize_name(name, limit=200):
    """The last path component of `name`, without control or reserved characters, at most `limit` long.

    Kept as metadata only; storage names are generated.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("", name).strip().strip(".").strip()
    if len(name) > limit:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: limit - len(suffix)] + suffix
    return name


def check_file(upload):
    """The sniffed type of `upload`, or EvidenceError (missing, empty, too large, type not allowed)."""
    if upload is None:
        raise EvidenceError(_("请选择要上传的文件。"), code="file_missing", field="file")
    if not upload.size:
        raise EvidenceError(_("文件是空的（0 字节），请重新选择。"), code="file_empty", field="file")
    if upload.size > max_upload_size():
        raise EvidenceError(too_large_message(), code="file_too_large", field="file")
    if not getattr(upload, "sha256", "") or not getattr(upload, "sm3", ""):
        raise EvidenceError(_("文件未经本平台的上传通道接收，不能登记为证据。"), code="file_not_hashed", field="file")
    sniffed = sniff(upload.file, upload.name or "")
    if not sniffed.allowed:
        raise EvidenceError(
            _("文件内容是 %(detected)s，不是允许的证据文件类型。允许的类型：%(allowed)s。")
            % {"detected": sniffed.label, "allowed": allowed_summary()},
            code="file_type_not_allowed",
            field="file",
        )
    return sniffed


def check_collected_at(collected_at, now):
    if collected_at is None:
        raise EvidenceError(_("请填写取证时间。"), code="collected_at_missing", field="collected_at")
    if timezone.is_naive(collected_at):
        collected_at = timezone.make_aware(collected_at)
    if collected_at > now + CLOCK_SKEW:
        raise EvidenceError(_("取证时间不能晚于当前时间。"), code="collected_in_future", field="collected_at")
    return collected_at


def check_collector(case, collected_by, officer):
    if collected_by is None:
        return officer
    if collected_by.agency_id != case.agency_id or not collected_by.active:
        raise EvidenceError(
            _("取证人必须是本案执法主体的在岗执法人员。"), code="collector_not_in_agency", field="collected_by"
        )
    return collected_by


def add_evidence(
    case, officer, upload, *, kind, title, proves, collected_at, collected_place, collected_by=None, note=""
):
    """Check everything, store the file and create the item. Raises EvidenceError."""
    check_case_open(case)
    now = timezone.now()
    collected_at = check_collected_at(collected_at, now)
    collected_by = check_collector(case, collected_by, officer)
    sniffed = check_file(upload)
    item = EvidenceItem(
        case=case,
        kind=kind,
        title=title,
        proves=proves,
        collected_at=collected_at,
        collected_place=collected_place,
        collected_by=collected_by,
        uploaded_by=officer,
        uploaded_at=now,
        original_name=sanitize_name(upload.name),
        content_type=sniffed.mime,
        size=upload.size,
        sha256=upload.sha256,
        sm3=upload.sm3,
        note=note or "",
    )
    # The storage reads the temporary file in chunks (or moves it, on the local file system);
    # the sniffed type goes along as the object's Content-Type on S3.
    upload.content_type = sniffed.mime
    upload.seek(0)
    item.file.save(f"{uuid.uuid4().hex}.{sniffed.extension}", upload, save=False)
    try:
        with transaction.atomic():
            item.save()
            ledger.append(
                "evidence",
                {
                    "case_id": case.pk,
                    "kind": item.kind,
                    "sha256": item.sha256,
                    "sm3": item.sm3,
                    "size": item.size,
                    "collected_at": item.collected_at,
                    "uploaded_at": item.uploaded_at,
                },
                obj=item,
            )
    except Exception:
        item.file.storage.delete(item.file.name)
        raise
    return item


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def record_access(request, item, action=AccessAction.VIEW, byte_range=""):
    return EvidenceAccess.objects.create(
        item=item,
        user=request.user,
        officer=officer_of(request.user),
        action=action,
        ip=client_ip(request),
        byte_range=byte_range[:64],
    )


def items_in_scope(user):
    return restrict(EvidenceItem.objects.select_related("collected_by", "uploaded_by"), user, "view")


def item_for_view(user, pk):
    return get_in_scope_or_404(
        EvidenceItem.objects.select_related("case__agency", "collected_by", "uploaded_by"), user, "view", pk=pk
    )
