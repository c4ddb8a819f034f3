"""What a file really is, from its first bytes: never from its name or the browser's word.

ISO base media files (MP4, MOV, 3GP, M4A, HEIC/HEIF) are told apart by their `ftyp` brands
here, because the `filetype` package confuses several of them; everything else binary goes to
`filetype`. ZIP files count as office documents only when they hold `[Content_Types].xml` and
the part of a Word or Excel file. Text (plain or CSV, for electronic data) is recognised by
decoding a sample as UTF-8 or GB18030 with no NUL bytes.
"""

import codecs
import zipfile
from dataclasses import dataclass

import filetype

HEAD_BYTES = 8192
TEXT_SAMPLE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Sniffed:
    mime: str
    extension: str
    label: str  # what the user is told it is

    @property
    def allowed(self):
        return self.mime in ALLOWED


# The types evidence may have: MIME type → (extension, label).
ALLOWED = {
    "image/jpeg": ("jpg", "JPEG 图片"),
    "image/png": ("png", "PNG 图片"),
    "image/heic": ("heic", "HEIC 图片"),
    "image/heif": ("heif", "HEIF 图片"),
    "image/webp": ("webp", "WebP 图片"),
    "audio/mpeg": ("mp3", "MP3 音频"),
    "audio/mp4": ("m4a", "M4A 音频"),
    "audio/aac": ("aac", "AAC 音频"),
    "audio/wav": ("wav", "WAV 音频"),
    "audio/amr": ("amr", "AMR 录音"),
    "video/mp4": ("mp4", "MP4 视频"),
    "video/quicktime": ("mov", "MOV 视频"),
    "video/3gpp": ("3gp", "3GP 视频"),
    "video/webm": ("webm", "WebM 视频"),
    "application/pdf": ("pdf", "PDF 文档"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx", "Word 文档（docx）"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx", "Excel 表格（xlsx）"),
    "text/plain": ("txt", "纯文本"),
    "text/csv": ("csv", "CSV 表格"),
}

# filetype's names for the same things.
_FILETYPE_ALIASES = {"audio/x-wav": "audio/wav", "audio/m4a": "audio/mp4"}

UNKNOWN_BINARY = Sniffed("application/octet-stream", "bin", "无法识别的二进制格式")


def allowed_summary():
    """jpg、png、… for messages."""
    return "、".join(dict.fromkeys(extension for extension, _label in ALLOWED.values()))


def known(mime):
    extension, label = ALLOWED[mime]
    return Sniffed(mime, extension, label)


def _iso_bmff(head):
    """MP4 family by the `ftyp` box's major and compatible brands, or None."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return None
    box_size = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    brands = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major in {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"}:
        return known("image/heic")
    if major in {b"mif1", b"msf1"}:
        if brands & {b"heic", b"heix"}:
            return known("image/heic")
        if b"avif" in brands:
            return Sniffed("image/avif", "avif", "AVIF 图片")
        return known("image/heif")
    if major in {b"avif", b"avis"}:
        return Sniffed("image/avif", "avif", "AVIF 图片")
    if major == b"qt  ":
        return known("video/quicktime")
    if major[:3] in {b"3gp", b"3g2", b"3ge", b"3gg", b"3gs"}:
        return known("video/3gpp")
    if major in {b"M4A ", b"M4B ", b"F4A "}:
        return known("audio/mp4")
    if major in {b"crx "}:
        return Sniffed("image/x-canon-cr3", "cr3", "佳能 RAW 图片")
    return known("video/mp4")


def _office_zip(handle):
    """docx or xlsx when the ZIP is an Office Open XML package; otherwise a plain ZIP archive."""
    archive_type = Sniffed("application/zip", "zip", "ZIP 压缩包")
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return archive_type
    if "[Content_Types].xml" not in names:
        return archive_type
    if "word/document.xml" in names:
        return known("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    if "xl/workbook.xml" in names:
        return known("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if any(name.startswith("ppt/") for name in names):
        return Sniffed(
            "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "PowerPoint 演示文稿"
        )
    return Sniffed("application/zip", "zip", "Office 以外的 ZIP 文件包")


def _is_text(sample):
    if not sample or b"\x00" in sample:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n\f")
        return controls <= max(1, len(text) // 100)
    return False


def sniff(handle, name=""):
    """The type of the open binary file `handle` (rewound afterwards). `name` only tells CSV from plain text."""
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    try:
        if not head:
            return Sniffed("application/x-empty", "", "空文件")
        result = _iso_bmff(head)
        if result:
            return result
        if head.startswith(b"PK\x03\x04"):
            handle.seek(0)
            return _office_zip(handle)
        guess = filetype.guess(head)
        if guess is not None:
            mime = _FILETYPE_ALIASES.get(guess.mime, guess.mime)
            if mime in ALLOWED:
                return known(mime)
            return Sniffed(mime, guess.extension, f"{guess.extension}（{mime}）")
        if head.startswith(b"#!AMR"):
            return known("audio/amr")
        handle.seek(0)
        if _is_text(handle.read(TEXT_SAMPLE_BYTES)):
            return known("text/csv" if name.lower().endswith(".csv") else "text/plain")
        return UNKNOWN_BINARY
    finally:
        handle.seek(0)
