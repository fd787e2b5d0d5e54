"""Every SECTION_* and feed setting and its default; docs/settings.md documents each one."""

DEFAULTS = {}
