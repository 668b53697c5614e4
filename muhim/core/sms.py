"""Sending SMS through a pluggable backend, like Django's e-mail backends. Set SMS_BACKEND to a
dotted path; the defaults write to the console (development), a folder of files, or memory
(tests). A gateway backend implements `send_messages`."""

import json
from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

outbox = []  # LocmemBackend appends here; tests read it


@dataclass
class SMS:
    to: str  # E.164, e.g. +923001234567
    body: str


class BaseBackend:
    def send_messages(self, messages: list[SMS]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send_messages(self, messages):
        for m in messages:
            print(f"SMS to {m.to}: {m.body}")  # noqa: T201 - this backend's whole purpose
        return len(messages)


class FileBackend(BaseBackend):
    def send_messages(self, messages):
        folder = settings.SMS_FILE_PATH
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{timezone.now():%Y%m%d-%H%M%S-%f}.jsonl"
        with path.open("a", encoding="utf-8") as fh:
            for m in messages:
                fh.write(json.dumps(asdict(m), ensure_ascii=False) + "\n")
        return len(messages)


class LocmemBackend(BaseBackend):
    def send_messages(self, messages):
        outbox.extend(messages)
        return len(messages)


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, body: str) -> int:
    return get_backend().send_messages([SMS(to=to, body=body)])
