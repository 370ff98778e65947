"""Limits on files trainees submit: size, number and type, checked by name and by content."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# suffix -> (content type, how the file must begin)
ALLOWED_TYPES = {
    "pdf": ("application/pdf", [b"%PDF-"]),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", [b"PK\x03\x04"]),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [b"PK\x03\x04"]),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", [b"PK\x03\x04"]),
    "odt": ("application/vnd.oasis.opendocument.text", [b"PK\x03\x04"]),
    "jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    "jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
    "png": ("image/png", [b"\x89PNG\r\n\x1a\n"]),
    "txt": ("text/plain", []),
}


def max_upload_bytes() -> int:
    return getattr(settings, "TRAINING_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def max_upload_files() -> int:
    return getattr(settings, "TRAINING_UPLOAD_MAX_FILES", 5)


def allowed_suffixes_label() -> str:
    return ", ".join(sorted({suffix for suffix in ALLOWED_TYPES if suffix != "jpeg"}))


def check_upload(upload) -> tuple[str, str]:
    """(original name, content type) of an acceptable file, or a ValidationError saying why not."""
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ALLOWED_TYPES:
        raise ValidationError(
            _("“%(name)s” is not an accepted type. Accepted: %(types)s.")
            % {"name": name, "types": allowed_suffixes_label()}
        )
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(max_upload_bytes())}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    content_type, signatures = ALLOWED_TYPES[suffix]
    head = upload.read(16)
    upload.seek(0)
    if signatures and not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(_("“%(name)s” does not contain what its name says.") % {"name": name})
    if suffix == "txt":
        sample = upload.read(4096)
        upload.seek(0)
        if b"\x00" in sample:
            raise ValidationError(_("“%(name)s” does not contain what its name says.") % {"name": name})
    return name, content_type
