from pelican import signals

from leitf_site import theme_support

from . import config, pages
from .settings import DEFAULTS


def apply_defaults(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    config.check(settings)
    # Recomputed on every build: autoreload keeps the settings object between runs.
    settings["GET_INVOLVED"] = config.form_context(settings)


def add_filters(generator):
    generator.env.filters.setdefault("obfuscate", config.entity_encode)
    generator.env.filters.setdefault("tojson_obfuscating", config.tojson_obfuscating)


def register():
    theme_support.register()
    signals.initialized.connect(apply_defaults)
    signals.generator_init.connect(add_filters)
    signals.page_generator_finalized.connect(pages.claim_pages)
    signals.get_generators.connect(pages.thanks_generator)
