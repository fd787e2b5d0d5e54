"""Downloadable files listed in a post's ``Attachments:`` metadata, measured at build time."""

import mimetypes
import os
import posixpath
from urllib.parse import quote

from leitf_site.errors import ContentError, display_path
from leitf_site.theme_support import format_file_size

# Extensions the mimetypes table may not know on a minimal system.
EXTRA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".mp4": "video/mp4",
    ".csv": "text/csv",
}


class Attachment:
    def __init__(self, path, size):
        self.path = path
        self.name = posixpath.basename(path)
        self.mime = guess_mime(path)
        self.size = size
        self.size_label = human_size(size)
        extension = posixpath.splitext(path)[1].lstrip(".")
        self.type_label = extension.upper() or self.mime
        self.url = quote(path)  # replaced by the static file's own URL once Pelican knows it

    def __repr__(self):
        return f"<Attachment {self.path!r} {self.size} bytes>"


def guess_mime(path):
    extension = posixpath.splitext(path)[1].lower()
    if extension in EXTRA_TYPES:
        return EXTRA_TYPES[extension]
    return mimetypes.guess_type(path, strict=False)[0] or "application/octet-stream"


def human_size(size):
    """The English label ("812 bytes", "1.8 kB"); pages show it in their own language."""
    return format_file_size(size, "en")


def split_list(value):
    if isinstance(value, (list, tuple)):
        items = value
    else:
        items = str(value).replace("\n", ",").split(",")
    return [item.strip() for item in items if item and item.strip()]


def normalize(raw):
    """`files/a.pdf`, `/files/a.pdf`, `{static}/files/a.pdf` all mean content/files/a.pdf."""
    path = raw
    for prefix in ("{static}", "{attach}", "{filename}", "|static|", "|filename|"):
        if path.startswith(prefix):
            path = path[len(prefix):]
    return posixpath.normpath(path.lstrip("/"))


def read_attachments(article, content_root):
    """The post's attachments; a file that is missing stops the build with one line."""
    raw = article.metadata.get("attachments")
    if not raw:
        return []
    source = display_path(article.source_path)
    result = []
    for item in split_list(raw):
        path = normalize(item)
        if path.startswith("..") or posixpath.isabs(path):
            raise ContentError(source, "Attachments", f"{item} is outside the content folder")
        full = os.path.join(content_root, *path.split("/"))
        if not os.path.isfile(full):
            raise ContentError(source, "Attachments",
                               f"{item}: no such file (looked for {display_path(full)})")
        result.append(Attachment(path, os.path.getsize(full)))
    return result
