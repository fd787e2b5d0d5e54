from pelican import signals

from leitf_site import theme_support

from .settings import DEFAULTS


def apply_defaults(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def register():
    theme_support.register()
    signals.initialized.connect(apply_defaults)
