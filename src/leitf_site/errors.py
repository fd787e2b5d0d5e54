"""User-facing build errors: one line naming the file and the field, never a traceback."""

import logging
import os
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


# Set from the settings when a build starts (theme_support.apply_defaults).
_build = {"content": "", "strict": True}


def configure(content_path, strict):
    _build["content"], _build["strict"] = str(content_path or ""), bool(strict)


def relative_path(path):
    """A content file's path relative to the content folder, as every message names it."""
    path = str(path)
    root = _build["content"]
    if root and os.path.isabs(path):
        try:
            rel = os.path.relpath(path, root)
        except ValueError:
            return path
        if not rel.startswith(".."):
            return rel.replace(os.sep, "/")
    return path


_displayed = {}  # (working folder, path) -> answer: the checks name every post many times


def display_path(path):
    """A source path as the maintainer typed it: relative to the working folder when inside it."""
    key = (os.getcwd(), path)
    try:
        return _displayed[key]
    except KeyError:
        answer = _displayed[key] = _display_path(path)
        return answer
    except TypeError:  # a path that cannot be a key
        return _display_path(path)


def _display_path(path):
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _content_path(obj):
    return relative_path(getattr(obj, "source_path", None) or obj)


def _metadata_field(tb):
    """The metadata field being read when a reader raised (Pelican keeps it in a local)."""
    field = None
    while tb is not None:
        frame = tb.tb_frame
        if "process_metadata" in frame.f_code.co_name and isinstance(frame.f_locals.get("name"), str):
            field = frame.f_locals["name"]
        tb = tb.tb_next
    return field


def _reason(exc):
    """(field, problem) for an exception that stopped Pelican reading one file."""
    cause = _root_cause(exc)
    if cause is not None:
        return cause.field, cause.problem
    if isinstance(exc, UnicodeDecodeError):
        byte = exc.object[exc.start : exc.start + 1].hex()
        return "encoding", (f"not UTF-8 (byte 0x{byte} at position {exc.start}); "
                            "save the file as UTF-8")
    if isinstance(exc, ValueError) and "is not a valid date" in str(exc):
        field = _metadata_field(exc.__traceback__) or "date"
        return field, f"{exc}; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM"
    return "", f"{type(exc).__name__}: {exc}"


def _content_in_stack():
    """The content object whose text Pelican is rendering further up the call stack."""
    frame = sys._getframe(2)
    while frame is not None:
        candidate = frame.f_locals.get("self")
        if candidate is not None and hasattr(candidate, "source_path") and hasattr(candidate, "metadata"):
            return candidate
        frame = frame.f_back
    return None


class _OneLineErrors(logging.Filter):
    """Pelican's CLI logs any exception that ends a build with its traceback.

    For a ContentError, and for the exception ``--fatal`` raises after an error was
    already logged, the traceback only hides the one line that matters, so drop it.
    """

    def filter(self, record):
        if record.msg == "Could not process %s" and sys.exc_info()[1] is not None:
            # Pelican drops the reason a file failed unless DEBUG is on; put it back.
            field, reason = _reason(sys.exc_info()[1])
            field = f"{field}: " if field else ""
            record.msg, record.args = "%s: %s%s", (relative_path(record.args[0]), field, reason)
            record.exc_info = None
            return True
        if record.msg == "Skipping %s: could not find information about '%s'":
            item, prop = record.args
            kind = type(item).__name__.lower()
            record.msg, record.args = "%s: %s: is missing; every %s needs one", (_content_path(item), prop, kind)
            return True
        if record.msg == "Skipping %s: file %r would be written outside output path":
            item, save_as = record.args
            record.msg, record.args = "%s: save_as: %r would be written outside the output folder", (
                _content_path(item), save_as)
            return True
        if isinstance(record.msg, str) and record.msg.startswith("Unknown status '%s' for file %s"):
            status, item, allowed = record.args[:3]
            record.msg, record.args = "%s: status: unknown status %r; use one of %s", (
                _content_path(item), status, ", ".join(allowed))
            return True
        if record.msg == "Unable to find '%s', skipping url replacement.":
            # Pelican does not say which file holds the broken link; find it on the stack.
            item = _content_in_stack()
            where = _content_path(item) if item is not None else "(unknown file)"
            record.msg, record.args = (
                "%s: link: %r does not match any file in the content folder "
                "(check the path after {filename} or {static})", (where, record.args[0]))
            if _build["strict"]:
                record.levelno, record.levelname = logging.ERROR, "ERROR"
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
    for name in ("pelican", "pelican.generators", "pelican.readers", "pelican.contents"):
        log = logging.getLogger(name)
        if _FILTER not in log.filters:
            log.addFilter(_FILTER)


# Installed on import too: a kit plugin is imported before Pelican registers any plugin, so a
# plugin that fails to load under --fatal still ends in one line instead of a traceback.
install_log_filter()
