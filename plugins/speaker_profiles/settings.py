"""Every SPEAKER_* setting and its default; docs/settings.md documents each one."""

DEFAULTS = {}
