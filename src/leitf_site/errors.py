"""User-facing build errors: one line naming the file and the field, never a traceback."""

import logging
import sys

logger = logging.getLogger(__name__)


class ContentError(Exception):
    """A mistake in a site's content or settings that the maintainer must fix.

    ``str(error)`` is the whole message: ``path: field: what is wrong``.
    """

    def __init__(self, path, field, problem):
        self.path = str(path) if path else ""
        self.field = field
        self.problem = problem
        parts = [p for p in (self.path, field) if p]
        super().__init__(": ".join(parts + [problem]))


def _root_cause(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, ContentError):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


class _OneLineErrors(logging.Filter):
    """Pelican's CLI logs any exception that ends a build with its traceback.

    For a ContentError, and for the exception ``--fatal`` raises after an error was
    already logged, the traceback only hides the one line that matters, so drop it.
    """

    def filter(self, record):
        if record.msg == "Could not process %s" and sys.exc_info()[1] is not None:
            # Pelican drops the reason a file failed unless DEBUG is on; put it back.
            exc = sys.exc_info()[1]
            cause = _root_cause(exc)
            reason = cause.problem if cause else f"{type(exc).__name__}: {exc}"
            field = f"{cause.field}: " if cause and cause.field else ""
            record.msg, record.args = "%s: %s%s", (record.args[0], field, reason)
            record.exc_info = None
            return True
        if not record.exc_info:
            return True
        exc = record.exc_info[1]
        cause = _root_cause(exc)
        if cause is not None:
            record.msg, record.args = "%s", (str(cause),)
            record.exc_info = None
        elif isinstance(exc, RuntimeError) and str(exc) == "Warning or error encountered":
            record.msg, record.args = "Build stopped: %s", ("see the message above",)
            record.exc_info = None
        return True


_FILTER = _OneLineErrors()


def install_log_filter():
    """Attach the filter to the loggers whose records carry build-ending exceptions."""
    for name in ("pelican", "pelican.generators", "pelican.readers"):
        log = logging.getLogger(name)
        if _FILTER not in log.filters:
            log.addFilter(_FILTER)
