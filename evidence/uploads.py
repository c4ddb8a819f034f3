"""The upload handler: files stream to a temporary file on disk and are hashed as they arrive.

Django's default handlers keep small files in memory and hash nothing; this one writes every
chunk straight to a temporary file, feeds it to SHA-256 and SM3 on the way and stops counting
bytes at `settings.MAX_UPLOAD_SIZE`: a 2 GB video costs one chunk of memory, not 2 GB.

A file over the limit is dropped (`SkipFile`), the rest of the request body is read and thrown
away, and the other form fields still arrive, so the form can be shown again with what the
officer typed. The refusal is kept in `handler.refusals` for the view to show.

Install it before anything reads `request.POST` / `request.FILES` (`install(request)`); the
browser view is csrf_exempt with an inner csrf_protect for that reason, as Django's
documentation on upload handlers prescribes.
"""

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CHUNK_SIZE = 256 * 1024


def max_upload_size():
    return int(settings.MAX_UPLOAD_SIZE)


def too_large_message(limit=None):
    limit = max_upload_size() if limit is None else limit
    return _("文件超过大小上限 %(limit)s，未能上传。请压缩或分段后再上传。") % {"limit": filesizeformat(limit)}


class HashedUpload(TemporaryUploadedFile):
    """An uploaded file on disk with the digests of its bytes."""

    sha256 = ""
    sm3 = ""


class HashingUploadHandler(FileUploadHandler):
    chunk_size = CHUNK_SIZE

    def __init__(self, request=None):
        super().__init__(request)
        self.refusals = {}  # field name → message
        self.limit = max_upload_size()

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        self.file = HashedUpload(self.file_name, self.content_type, 0, self.charset, self.content_type_extra)
        self.received = 0
        self.digests = (hashlib.sha256(), hashlib.new("sm3"))

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.file.close()  # removes the temporary file
            self.refusals[self.field_name] = too_large_message(self.limit)
            raise SkipFile
        for digest in self.digests:
            digest.update(raw_data)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.seek(0)
        self.file.size = file_size
        self.file.sha256 = self.digests[0].hexdigest()
        self.file.sm3 = self.digests[1].hexdigest()
        return self.file

    def upload_interrupted(self):
        file = getattr(self, "file", None)
        if file is not None:
            file.close()


def install(request):
    """Make `request` parse uploads through a fresh HashingUploadHandler and return it."""
    handler = HashingUploadHandler(request)
    request.upload_handlers = [handler]
    return handler
