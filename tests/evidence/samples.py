"""Small files of every kind, made here byte by byte: what their first bytes must look like."""

import io
import struct
import zipfile


def ftyp(major, *compatible):
    body = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + b"\x00\x00\x00\x08free" + b"\x00" * 64


def zipped(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 4 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
HEIC = ftyp(b"heic", b"mif1", b"heic")
HEIF = ftyp(b"mif1", b"mif1", b"miaf")
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x21" + b"\x00" * 128
M4A = ftyp(b"M4A ", b"M4A ", b"mp42", b"isom")
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64
AMR = b"#!AMR\n" + b"\x3c" * 64
MP4 = ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41")
MOV = ftyp(b"qt  ", b"qt  ")
THREE_GP = ftyp(b"3gp4", b"isom", b"3gp4")
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
    + b"\x00" * 64
)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
DOCX = zipped(["[Content_Types].xml", "_rels/.rels", "word/document.xml"])
XLSX = zipped(["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"])
TEXT = "2026年3月2日 现场检查记录：货架上有过期食品三箱。\n".encode()
TEXT_GBK = "当事人微信聊天记录导出\r\n".encode("gb18030")
CSV = "时间,金额\n2026-03-01,120.00\n".encode()

ZIP = zipped(["readme.txt", "payload.bin"])
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
RANDOM_BINARY = bytes((i * 73 + 11) % 256 for i in range(4096)).replace(b"\x00", b"\x01") + b"\x00\x00\x00"
