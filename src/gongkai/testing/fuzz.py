"""A mutation fuzzer over the test documents of every format (text, HTML, PDF, DOCX):
``tests/test_fuzz.py`` runs it with a fixed seed and a small count in CI, ``scripts/fuzz.py``
for long runs. Each input is parsed in a bounded worker (``gongkai.guard``), so a hang or a
memory blow-up is caught as well as an exception.

An input *fails* when the parse ends in anything but a report or a ``GongkaiError`` whose
message is not "内部错误" (an internal error is a bug), or when it breaks the fuzz bound
(time or memory). Each failure is written as a named regression file, which
``tests/test_fuzz.py`` parses for ever after.
"""

from __future__ import annotations

import hashlib
import io
import random
import time
import traceback
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..api import parse_bytes
from ..errors import GongkaiError
from ..guard.worker import Job, Pool
from ..settings import Settings

# What a fuzzed input runs under: a bound well below the default (a hang shows in seconds),
# no OCR (an image is seconds of OCR per mutation, and OCR is not what is fuzzed here).
FUZZ_SETTINGS = Settings(max_seconds=10, max_memory_bytes=1024 * 1024 * 1024, ocr=False)
INTERESTING = [
    b"0",
    b"-1",
    b"\x00",
    b"\xff",
    b"9" * 5000,
    "²".encode(),
    "①".encode(),
    b"%1" * 50,
    b"R",
    b"0 R",
    b"<<",
    b">>",
    b"<",
    b">",
]
SUFFIX = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}


def kind_of(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK"):
        return "docx"
    if b"<html" in data[:2048].lower() or b"<table" in data[:4096].lower():
        return "html"
    return "text"


def _mutate_bytes(rng: random.Random, data: bytes, other: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 3, 8])):
        if not b:
            b.extend(rng.choice(INTERESTING))
            continue
        i = rng.randrange(len(b))
        op = rng.randrange(8)
        if op == 0:
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[i] = rng.randrange(256)
        elif op == 2:
            del b[i : i + rng.randint(1, 64)]
        elif op == 3:
            n = rng.randint(1, 256)
            b[i:i] = b[i : i + n] * rng.randint(2, 20)  # repeat a piece: nesting, floods
        elif op == 4:
            b[i:i] = rng.choice(INTERESTING)
        elif op == 5 and other:
            j = rng.randrange(len(other))
            b[i:i] = other[j : j + rng.randint(1, 512)]  # splice from another document
        elif op == 6:
            b[i : i + 1] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:
            del b[i:]  # truncation
    return bytes(b)


def _mutate_zip(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Mutate one XML member of a DOCX and zip it again (most byte flips of a zip end at
    its checksum; this reaches the XML readers)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = [(i, z.read(i.filename)) for i in z.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return _mutate_bytes(rng, data, other)
    xml = [k for k, (i, _) in enumerate(members) if i.filename.endswith(".xml")]
    if not xml:
        return _mutate_bytes(rng, data, other)
    k = rng.choice(xml)
    info, body = members[k]
    members[k] = (info, _mutate_bytes(rng, body, other))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in members:
            z.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), body)  # (no clock: deterministic)
    return out.getvalue()


def mutate(rng: random.Random, data: bytes, other: bytes = b"") -> bytes:
    if data.startswith(b"PK") and rng.random() < 0.8:
        return _mutate_zip(rng, data, other)
    return _mutate_bytes(rng, data, other)


def check(data: bytes, name: str) -> tuple[str, str]:
    """In the worker: ("ok" | "error" | "internal", detail) for one input."""
    try:
        parse_bytes(data, name, FUZZ_SETTINGS)
    except GongkaiError as e:
        if "内部错误" in e.message:
            return "internal", e.message
        return "error", e.code
    except Exception as e:
        return "internal", f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=6)}"
    return "ok", ""


@dataclass
class Failure:
    kind: str  # internal | hang | memory
    detail: str
    data: bytes
    seed_name: str

    @property
    def name(self) -> str:
        ext = SUFFIX[kind_of(self.data)]
        return f"fuzz-{self.kind}-{hashlib.sha256(self.data).hexdigest()[:12]}{ext}"


@dataclass
class Run:
    inputs: int = 0
    ok: int = 0
    errors: int = 0  # clear errors (GongkaiError): what a hostile input should get
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    by_kind: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for f in self.failures:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        return (
            f"{self.inputs} inputs in {self.seconds:.0f} s ({self.by_kind}): {self.ok} reports, {self.errors} clear errors, "
            f"{len(self.failures)} failures {kinds or ''}"
        )


def inputs(seeds: list[bytes], count: int, seed: int) -> Iterator[tuple[int, bytes, int]]:
    rng = random.Random(seed)
    for n in range(count):
        k = rng.randrange(len(seeds))
        data = mutate(rng, seeds[k], seeds[rng.randrange(len(seeds))])
        yield n, data, k


def run(seed_files: list[Path], count: int, seed: int = 0, jobs: int = 1, settings: Settings = FUZZ_SETTINGS) -> Run:
    seeds = [p.read_bytes() for p in seed_files]
    out = Run()
    t0 = time.monotonic()
    by_id: dict[int, tuple[bytes, int, float]] = {}

    def jobs_() -> Iterator[Job]:
        for n, data, k in inputs(seeds, count, seed):
            by_id[n] = (data, k, time.monotonic())
            kind = kind_of(data)
            out.by_kind[kind] = out.by_kind.get(kind, 0) + 1
            yield Job(n, "gongkai.testing.fuzz", "check", (data, f"fuzz{SUFFIX[kind]}"), f"fuzz#{n}")

    with Pool(jobs, settings, ("gongkai.api", "gongkai.testing.fuzz"), depth=1) as pool:
        for n, value in pool.imap(jobs_()):
            data, k, _ = by_id.pop(n)
            out.inputs += 1
            name = seed_files[k].name
            if isinstance(value, GongkaiError):  # the worker's bound: a hang or a blow-up
                out.failures.append(Failure("hang" if value.code == "timeout" else "memory", value.message, data, name))
            elif value[0] == "internal":
                out.failures.append(Failure("internal", value[1], data, name))
            elif value[0] == "error":
                out.errors += 1
            else:
                out.ok += 1
    out.seconds = time.monotonic() - t0
    return out
