"""A large upload streams: memory stays flat while the file goes through the upload handler to storage.

The request body is generated on the fly (a multipart body of 200 MB that never exists as one
bytes object) and fed to Django through the test client as its wsgi.input, so what is measured is
Django's parser, the hashing handler, the checks and the storage save, nothing of the test's own.
"""

import hashlib
import resource
import tracemalloc

import pytest

from evidence.models import EvidenceItem
from tests.evidence import samples
from tests.evidence.helpers import fields, open_case, upload_url

MB = 1024 * 1024
FILE_SIZE = 200 * MB
BLOCK = bytes((i * 7919 + 13) % 251 for i in range(MB))  # no CR LF run that looks like a boundary


def file_blocks(size):
    yield samples.MP4
    remaining = size - len(samples.MP4)
    while remaining > 0:
        chunk = BLOCK[: min(len(BLOCK), remaining)]
        remaining -= len(chunk)
        yield chunk


class GeneratedBody:
    """A file-like multipart body: the form fields, then `size` generated file bytes, then the end."""

    boundary = "----evidence-memory-test-boundary-7f3a"

    def __init__(self, data, size):
        head = []
        for name, value in data.items():
            head.append(f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n')
        head.append(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="file"; filename="record.mp4"\r\n'
            "Content-Type: video/mp4\r\n\r\n"
        )
        self.parts = [
            b"".join(part.encode() for part in head),
            file_blocks(size),
            f"\r\n--{self.boundary}--\r\n".encode(),
        ]
        self.length = len(self.parts[0]) + size + len(self.parts[2])
        self._pieces = self._generate()
        self._buffer = b""

    def _generate(self):
        yield self.parts[0]
        yield from self.parts[1]
        yield self.parts[2]

    def read(self, size=-1):
        while size < 0 or len(self._buffer) < size:
            piece = next(self._pieces, None)
            if piece is None:
                break
            self._buffer += piece
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def readline(self, size=-1):
        return self.read(size)


@pytest.mark.slow
@pytest.mark.django_db
def test_a_200_mb_upload_keeps_memory_flat(client, world, settings):
    settings.MAX_UPLOAD_SIZE = 2 * 1024**3
    case = open_case(world)
    client.force_login(world.handler1.user)
    expected_sha, expected_sm3 = hashlib.sha256(), hashlib.new("sm3")
    for block in file_blocks(FILE_SIZE):
        expected_sha.update(block)
        expected_sm3.update(block)
    body = GeneratedBody(fields(), FILE_SIZE)
    assert client.get(upload_url(case)).status_code == 200  # imports and URL resolving done before measuring

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        response = client.generic(
            "POST",
            upload_url(case),
            b"",
            **{
                "wsgi.input": body,
                "CONTENT_LENGTH": str(body.length),
                "CONTENT_TYPE": f"multipart/form-data; boundary={body.boundary}",
            },
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before

    assert response.status_code == 302, response.content[:2000]
    item = EvidenceItem.objects.get()
    assert item.size == FILE_SIZE
    assert (item.sha256, item.sm3) == (expected_sha.hexdigest(), expected_sm3.hexdigest())
    assert peak < 8 * MB, f"peak Python allocation {peak / MB:.1f} MB for a {FILE_SIZE // MB} MB upload"
    assert rss_growth < 64 * MB, f"peak RSS grew {rss_growth / MB:.1f} MB for a {FILE_SIZE // MB} MB upload"
