"""Serving an evidence file: whole, or one byte range (HTTP Range, 206) so video seeking works.

Only single ranges are honoured (`bytes=500-999`, `bytes=500-`, `bytes=-500`); a header with
several ranges, or one that is not understood, is ignored and the whole file is sent, as RFC 9110
allows. A range that starts past the end is answered 416. `If-Range` with a different ETag also
sends the whole file. The ETag is the file's SHA-256, which never changes.

On S3 the bytes come from one ranged GET streamed through in chunks; on the local file system
from a seek and bounded reads. Nothing holds the file in memory.
"""

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

STREAM_CHUNK = 256 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class Unsatisfiable(Exception):
    pass


def parse_range(header, size):
    """(start, end) inclusive for a single satisfiable range, None to send everything.

    Raises Unsatisfiable for a well-formed range that lies outside the file.
    """
    if not header or "," in header:
        return None
    match = _RANGE.match(header)
    if not match:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # suffix: the last N bytes
        length = int(last)
        if length == 0:
            raise Unsatisfiable
        return max(size - length, 0), size - 1
    start = int(first)
    if start >= size:
        raise Unsatisfiable
    end = int(last) if last else size - 1
    if end < start:
        return None
    return start, min(end, size - 1)


def _file_chunks(handle, start, length):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(STREAM_CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _s3_chunks(handle, start, end):
    """One ranged GET on the object behind an S3File, streamed in chunks."""
    body = handle.obj.get(Range=f"bytes={start}-{end}")["Body"]
    try:
        yield from body.iter_chunks(STREAM_CHUNK)
    finally:
        body.close()
        handle.close()


def _is_s3(handle):
    return hasattr(handle, "obj") and hasattr(handle.obj, "get")


def range_chunks(handle, start, end):
    if _is_s3(handle):
        return _s3_chunks(handle, start, end)
    return _file_chunks(handle, start, end - start + 1)


def serve_file(request, item, *, as_attachment=False):
    """The response for `item`'s file and the byte range actually sent ("" when whole)."""
    etag = f'"{item.sha256}"'
    size = item.size
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "")
    if if_range and if_range.strip() != etag:
        header = ""
    try:
        wanted = parse_range(header, size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        _common_headers(response, item, etag, as_attachment)
        return response, header
    handle = item.file.open("rb")
    if wanted is None:
        if _is_s3(handle):
            response = StreamingHttpResponse(range_chunks(handle, 0, size - 1), content_type=item.content_type)
            response["Content-Length"] = str(size)
        else:
            response = FileResponse(handle, content_type=item.content_type)
            response.block_size = STREAM_CHUNK
        _common_headers(response, item, etag, as_attachment)
        return response, ""
    start, end = wanted
    response = StreamingHttpResponse(range_chunks(handle, start, end), status=206, content_type=item.content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    _common_headers(response, item, etag, as_attachment)
    return response, f"bytes={start}-{end}"


def _common_headers(response, item, etag, as_attachment):
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-store"
    # The bytes are the uploader's: never let a browser run them as a page of this site.
    # (Browsers refuse to show a PDF in a sandboxed document; a PDF is sniffed as one, never as HTML.)
    policy = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'"
    response["Content-Security-Policy"] = policy if item.content_type == "application/pdf" else f"{policy}; sandbox"
    response["X-Content-SHA256"] = item.sha256
    response["X-Content-SM3"] = item.sm3
    response["Content-Disposition"] = content_disposition_header(as_attachment, item.download_name)
