"""Every CONTACT_*, CALLS_TO_ACTION and SOCIAL setting and its default; docs/settings.md documents each one."""

DEFAULTS = {}
