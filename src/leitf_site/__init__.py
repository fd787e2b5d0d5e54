"""leitf-site: a Pelican theme and plugins for coalition websites."""

from importlib import resources
from pathlib import Path

__version__ = "0.1.0"

THEME_NAME = "coalition"

# A site's pelicanconf.py imports this package (THEME = leitf_site.theme_path()) while Pelican
# reads settings, before any plugin loads. Importing errors installs the one-line error filter,
# so a fatal warning raised during settings (say, feeds without an address) is one line too.
from . import errors  # noqa: E402,F401


def theme_path(name: str = THEME_NAME) -> str:
    """Return the folder of a bundled theme, for ``THEME = leitf_site.theme_path()``.

    An installed wheel carries the theme as package data. An editable install puts
    only ``src/`` on the path, so fall back to the repository's ``themes/`` folder.
    """
    packaged = resources.files(__name__) / "themes" / name
    if packaged.is_dir():
        return str(packaged)
    in_repo = Path(__file__).resolve().parents[2] / "themes" / name
    if in_repo.is_dir():
        return str(in_repo)
    raise FileNotFoundError(f"leitf_site: theme {name!r} is not installed")
