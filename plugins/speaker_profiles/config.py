"""Check the SPEAKER_* settings before any file is read, so a mistake fails with one line."""

import difflib

from leitf_site.errors import ContentError

from .settings import DEFAULTS

CONF = "pelicanconf"
_LISTS = ("SPEAKER_PATHS", "SPEAKER_EXCLUDES", "SPEAKER_ROLE_ORDER")
_TEXT = ("SPEAKER_URL", "SPEAKER_SAVE_AS", "SPEAKER_LANG_URL", "SPEAKER_LANG_SAVE_AS",
         "SPEAKERS_URL", "SPEAKERS_SAVE_AS", "SPEAKERS_TITLE")
_TEXT_OR_NONE = ("SPEAKER_FEED_ATOM", "SPEAKER_FEED_RSS", "SPEAKER_FEED_ATOM_URL",
                 "SPEAKER_FEED_RSS_URL")


def check(settings):
    for key in settings:
        if key.startswith(("SPEAKER_", "SPEAKERS_")) and key not in DEFAULTS:
            close = difflib.get_close_matches(key, list(DEFAULTS), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ContentError(CONF, key, f"is not a speaker_profiles setting{hint}")
    for key in _LISTS:
        value = settings[key]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            what = "list of folders" if key != "SPEAKER_ROLE_ORDER" else "list of role names"
            raise ContentError(CONF, key, f"must be a {what}, e.g. {DEFAULTS[key]!r}")
    for key in _TEXT:
        if not isinstance(settings[key], str):
            raise ContentError(CONF, key, f"must be text, got {type(settings[key]).__name__}")
    for key in _TEXT_OR_NONE:
        if settings[key] is not None and not isinstance(settings[key], str):
            raise ContentError(CONF, key, f"must be text or None, got {type(settings[key]).__name__}")
    if not isinstance(settings["SPEAKER_LINK_MENTIONS"], bool):
        raise ContentError(CONF, "SPEAKER_LINK_MENTIONS", "must be True or False")
    if settings["SPEAKERS_SAVE_AS"] and not settings["SPEAKERS_URL"]:
        raise ContentError(CONF, "SPEAKERS_URL", "must be set when SPEAKERS_SAVE_AS is")
