from pelican import signals

from leitf_site import theme_support

from . import config
from .generator import SpeakerGenerator
from .settings import DEFAULTS


def apply_defaults(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    config.check(settings)
    # Without this, Pelican reads every speaker file as an article (or a page) too.
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        excludes = list(settings.get(key) or [])
        settings[key] = excludes + [p for p in settings["SPEAKER_PATHS"] if p not in excludes]


def speaker_generator(pelican):
    return SpeakerGenerator


def resolve_photos(generators):
    for generator in generators:
        if isinstance(generator, SpeakerGenerator):
            generator.resolve_photos()


def register():
    theme_support.register()
    signals.initialized.connect(apply_defaults)
    signals.get_generators.connect(speaker_generator)
    signals.all_generators_finalized.connect(resolve_photos)
