"""Importers register themselves here; each app keeps its own in `<app>/importers.py`, which
core's AppConfig.ready() imports."""

from django.utils.module_loading import autodiscover_modules

_IMPORTERS = {}


def register(importer_cls):
    slug = importer_cls.slug
    if slug in _IMPORTERS and _IMPORTERS[slug] is not importer_cls:
        raise ValueError(f"Two importers are called {slug!r}")
    _IMPORTERS[slug] = importer_cls
    return importer_cls


def autodiscover():
    autodiscover_modules("importers")


def get_importer(slug):
    """The importer class called `slug`, or None."""
    return _IMPORTERS.get(slug)


def all_importers():
    return sorted(_IMPORTERS.values(), key=lambda cls: cls.slug)


def importers_for(user):
    from muhim.accounts.permissions import user_can

    return [cls for cls in all_importers() if user_can(user, cls.capability)]
