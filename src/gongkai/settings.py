"""Reader and parser settings: one validated dataclass, defaults as named constants."""

from __future__ import annotations

from dataclasses import dataclass

MAX_INPUT_BYTES = 64 * 1024 * 1024  # larger inputs are refused before reading
MAX_TEXT_CHARS = 1_000_000  # decoded characters; a report is ~10k, so beyond this is not one report
MAX_PDF_PAGES = 200
MAX_IMAGE_PIXELS = 60_000_000  # about 7,700 x 7,700
MAX_PDF_SECONDS = 120.0  # one PDF's time budget; OCR adds its own per scanned page
FETCH_TIMEOUT_S = 30.0  # one network wait
FETCH_DEADLINE_S = 25.0  # a whole download, headers included (within the document's 30 s)
FETCH_MAX_BYTES = 64 * 1024 * 1024
# One bound per document, whatever the reader (``gongkai.guard``): wall time and memory,
# enforced from outside the parsing code. 0 seconds runs the parse in this process, unbounded.
MAX_SECONDS = 30.0
MAX_MEMORY_BYTES = 1024 * 1024 * 1024  # resident memory a document may add to a worker's
MAX_OCR_SECONDS = 600.0  # time added to a document's bound for its scanned pages (OCR, ~15 s a page), in all
MAX_LAYOUT_HYPOTHESES = 4096  # bound on combinations tried when a table layout is ambiguous


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a caller may tune. ``strict`` turns extraction findings into errors."""

    encoding: str | None = None  # force a text encoding (e.g. "gbk")
    format: str | None = None  # force "2019" | "2021" | "pre2019"
    strict: bool = False
    max_input_bytes: int = MAX_INPUT_BYTES
    max_text_chars: int = MAX_TEXT_CHARS
    max_pdf_pages: int = MAX_PDF_PAGES
    max_image_pixels: int = MAX_IMAGE_PIXELS
    max_pdf_seconds: float = MAX_PDF_SECONDS
    fetch_timeout_s: float = FETCH_TIMEOUT_S
    fetch_deadline_s: float = FETCH_DEADLINE_S
    fetch_max_bytes: int = FETCH_MAX_BYTES
    max_seconds: float = MAX_SECONDS
    max_memory_bytes: int = MAX_MEMORY_BYTES
    max_ocr_seconds: float = MAX_OCR_SECONDS
    # URLs may point at loopback, link-local and private addresses (a CLI's own network);
    # the web app turns this off unless an administrator allows it (server-side request forgery)
    fetch_private: bool = True
    ocr: bool = True  # use OCR for pages without a text layer when the extra is installed
    ocr_workers: int = 0  # pages of one document OCRed at once (0: every core this process may use)

    def __post_init__(self) -> None:
        if self.format not in (None, "2019", "2021", "pre2019"):
            raise ValueError(f"format must be 2019, 2021 or pre2019, not {self.format!r}")
        for name in ("max_input_bytes", "max_text_chars", "max_pdf_pages", "max_image_pixels"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.ocr_workers < 0:
            raise ValueError("ocr_workers must be 0 (every core) or positive")
        if self.max_seconds < 0 or self.max_memory_bytes < 0:
            raise ValueError("max_seconds and max_memory_bytes must not be negative")
        if self.fetch_timeout_s <= 0 or self.fetch_deadline_s <= 0 or self.max_pdf_seconds <= 0:
            raise ValueError("fetch_timeout_s, fetch_deadline_s and max_pdf_seconds must be positive")


DEFAULT = Settings()
