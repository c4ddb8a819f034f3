"""The manifest of a case's archive and the archive export (归档案卷导出包).

    manifest(case, dossier=None) → dict: every file of the archive with its digests and its ledger
                                   inclusion proof (null while there is no ledger entry)
    canonical_json(obj) → bytes: UTF-8, sorted keys, no spaces: what is hashed and shipped
    export_zip(case, actor) → a binary file object (positioned at 0) holding the zip:
        dossier.pdf, documents/…, evidence/…, manifest.json, checkpoint.txt (when the ledger has
        one), README.txt (how to verify offline, in Chinese)

Files are streamed from the storage in chunks and their SHA-256 is checked against the manifest
on the way into the zip; a stored file that no longer matches its recorded digest stops the export.
"""

import hashlib
import json
import tempfile
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.errors import WorkflowError
from cases.models import CaseEvent, CaseState

from . import sources
from .build import _require, build_dossier, latest_dossier, ordered_documents

FORMAT = "lawenforce-case-archive/1"
VERIFY_COMMAND = "python -m lawenforce.ledger.verify archive manifest.json"
SPOOL_BYTES = 16 * 1024 * 1024


def canonical_json(obj):
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class _File:
    name: str  # path inside the zip
    kind: str
    title: str
    number: str
    storage: Any
    path: str  # name in `storage`
    sha256: str
    sm3: str | None
    size: int | None
    obj: Any = None  # the model row the ledger knows the file by

    def open(self):
        return self.storage.open(self.path, "rb")


def _digest(storage, path):
    digest, size = hashlib.sha256(), 0
    with storage.open(path, "rb") as f:
        for chunk in f.chunks():
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _files(case, dossier):
    files = []
    if dossier is not None:
        files.append(
            _File(
                "dossier.pdf",
                "dossier",
                _("行政处罚案卷"),
                case.reference,
                default_storage,
                dossier.path,
                dossier.sha256,
                None,
                dossier.size,
            )
        )
    for i, (_section, doc) in enumerate(ordered_documents(case), start=1):
        files.append(
            _File(
                f"documents/{i:02d}-{doc.kind}-{doc.pk}.pdf",
                doc.kind,
                doc.title,
                doc.number,
                doc.file.storage,
                doc.file.name,
                doc.sha256,
                None,
                doc.size,
                doc,
            )
        )
    for i, item in enumerate(sources.evidence_items(case), start=1):
        if item.file is None:
            continue
        sha256, size = item.sha256, item.size
        if not sha256 or size is None:
            sha256, size = _digest(item.file.storage, item.file.name)
        files.append(
            _File(
                f"evidence/{i:02d}-{item.pk}{item.extension}",
                "evidence",
                item.title,
                "",
                item.file.storage,
                item.file.name,
                sha256,
                item.sm3 or None,
                size,
                item.obj,
            )
        )
    return files


def _entry(file):
    return {
        "name": file.name,
        "kind": file.kind,
        "title": str(file.title),
        "number": file.number or "",
        "sha256": file.sha256,
        "sm3": file.sm3,
        "size": file.size,
        "ledger": sources.ledger_entry(file.sha256, file.obj),
    }


def _manifest(case, files, checkpoint):
    return {
        "format": FORMAT,
        "case": {
            "id": case.pk,
            "number": case.reference,
            "title": case.title,
            "agency": case.agency.name,
            "closed_on": case.closed_on.isoformat() if case.closed_on else None,
            "archived_on": case.archived_on.isoformat() if case.archived_on else None,
        },
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "digest": "sha256",
        "files": [_entry(f) for f in files],
        "checkpoint": checkpoint,
        "verify": VERIFY_COMMAND,
    }


def manifest(case, dossier=None):
    """The manifest of the case's archive (dict). `dossier` defaults to the newest stored one."""
    dossier = dossier or latest_dossier(case)
    return _manifest(case, _files(case, dossier), sources.ledger_checkpoint())


def export_filename(case):
    return f"case-{case.pk}-archive.zip"


README = """案件归档案卷导出包
案号：{number}
案由：{title}
导出时间：{generated_at}

一、内容
  dossier.pdf     案卷：封面、卷内文件目录、执法文书（按办案程序排列）、证据清单、送达回证、结案报告，
                  每页右上角标注案卷页号“第 N 页 共 M 页”。
  documents/      各执法文书的原始 PDF 文件。
  evidence/       证据材料的原始文件。
  manifest.json   全部文件的清单：文件名、种类、标题、文号、SHA-256 摘要（证据另附 SM3 摘要）、大小，
                  以及每个摘要在存证账本中的包含证明（"ledger"）。
  checkpoint.txt  导出时存证账本的签名检查点（未启用账本时没有此文件）。

二、离线核验（无需联网，无需访问本系统的数据库）
  1. 将本压缩包完整解压到一个目录，不要修改、增删其中任何文件。
  2. 在该目录中运行：
         {command}
     核验程序逐一计算各文件的摘要并与 manifest.json 比对，再用包含证明和 checkpoint.txt
     核对每个摘要确已记入存证账本；任何一项不符都会报告。
  3. 也可以手工核对单个文件，例如：sha256sum dossier.pdf，与 manifest.json 中该文件的 "sha256" 比较。

三、说明
  manifest.json 中某文件的 "ledger" 为 null，表示导出时该摘要尚未记入存证账本（或系统尚未启用账本），
  此时只能核对摘要，不能证明其记入时间。
"""


def _write_stream(zf, file):
    """Copy a stored file into the zip in chunks, checking its SHA-256 against the manifest."""
    digest = hashlib.sha256()
    compress = zipfile.ZIP_STORED if file.name.endswith(".pdf") else zipfile.ZIP_DEFLATED
    info = zipfile.ZipInfo(file.name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = compress
    with file.open() as src, zf.open(info, "w", force_zip64=True) as dst:
        for chunk in src.chunks():
            digest.update(chunk)
            dst.write(chunk)
    if digest.hexdigest() != file.sha256:
        raise WorkflowError(
            _("文件“%(name)s”的存储内容与登记的哈希值不一致，可能已被篡改，不能导出。") % {"name": file.title},
            code="file_digest_mismatch",
        )


def _write_text(zf, name, data):
    info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def export_zip(case, actor):
    """The archive export of a closed or archived case, as a temporary binary file positioned at 0
    (the caller closes it; a view hands it to FileResponse). Uses the stored dossier of an archived
    case, or builds one. The export is recorded on the case's timeline.

    A supervisor (of another agency; the caller has checked the case is in their scope) may export
    but not build: the case must already have a stored dossier."""
    if actor is not None and actor.agency_id != case.agency_id and getattr(actor, "is_supervisor", False):
        if case.state not in (CaseState.CLOSED, CaseState.ARCHIVED) or not case.closed_on:
            raise WorkflowError(_("案件结案后才能导出归档案卷。"), code="not_closed")
        dossier = latest_dossier(case)
        if dossier is None:
            raise WorkflowError(_("本案尚未组卷，请由办案机关先组卷。"), code="no_dossier")
    else:
        _require(case, actor)
        dossier = latest_dossier(case) if case.state == CaseState.ARCHIVED else None
        dossier = dossier or build_dossier(case, actor)
    checkpoint = sources.ledger_checkpoint()
    files = _files(case, dossier)
    data = _manifest(case, files, checkpoint)
    manifest_bytes = canonical_json(data)

    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        with zipfile.ZipFile(out, "w", allowZip64=True) as zf:
            for file in files:
                _write_stream(zf, file)
            _write_text(zf, "manifest.json", manifest_bytes)
            if checkpoint is not None:
                _write_text(zf, "checkpoint.txt", checkpoint.encode("utf-8"))
            readme = README.format(
                number=case.reference,
                title=case.title,
                generated_at=data["generated_at"],
                command=VERIFY_COMMAND,
            )
            _write_text(zf, "README.txt", readme.encode("utf-8"))
    except BaseException:
        out.close()
        raise
    out.seek(0)
    with transaction.atomic():
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            action=_("导出归档案卷"),
            summary=_("导出 %(count)s 个文件，清单 SHA-256：%(digest)s")
            % {"count": len(files), "digest": hashlib.sha256(manifest_bytes).hexdigest()},
        )
    return out
