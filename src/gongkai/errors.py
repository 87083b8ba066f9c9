"""Named errors. Each carries a Chinese message that names the file and, where there is
one, the fix; the CLI prints the message, never a traceback."""

from __future__ import annotations


class GongkaiError(Exception):
    """Base: a document could not be handled at all."""

    code = "error"

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)

    def to_json(self) -> dict[str, str | None]:
        return {"error": self.code, "message": self.message, "path": self.path}


class UnsupportedFormat(GongkaiError):
    """The bytes are not a format gongkai reads."""

    code = "unsupported_format"


class InputTooLarge(GongkaiError):
    """The input exceeds a configured size bound."""

    code = "too_large"


class DecodeError(GongkaiError):
    """Text whose encoding cannot be determined with confidence."""

    code = "decode_error"


class CorruptDocument(GongkaiError):
    """A PDF, DOCX or image that is truncated, encrypted or otherwise unreadable."""

    code = "corrupt"


class MissingDependency(GongkaiError):
    """An optional extra (OCR, LibreOffice) is needed and not installed."""

    code = "missing_dependency"


class FetchError(GongkaiError):
    """A URL could not be downloaded."""

    code = "fetch_error"


class Timeout(GongkaiError):
    """A stage ran past its time bound."""

    code = "timeout"


class OutOfMemory(GongkaiError):
    """A document needed more memory than its budget (``settings.max_memory_bytes``)."""

    code = "too_much_memory"


class NotARegularFile(GongkaiError):
    """A FIFO, device, socket or folder where a file was expected: refused before opening."""

    code = "not_a_file"


class DatabaseError(GongkaiError):
    """The corpus database cannot be opened: it does not exist (for a command that only
    reads one), the server cannot be reached, the login is refused."""

    code = "database"
