"""Where private files live: uploaded import files, rejected-row reports and, later, CVs."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, outside the public media root, with no URL: only views
    that check permissions hand them out. The folder is read from settings on every use, so a
    changed setting (tests, a mounted volume) takes effect at once."""

    def __init__(self, **kwargs):
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a permission-checked view.")
