"""Normalize: Document -> Document with canonical text in every block.

Each step is a small function over one string, so each can be tested and inspected alone:
``strip_pinyin`` (D8), ``to_simplified`` (traditional mirrors), ``canonical`` (NFKC, Kangxi
and supplement radicals, spaces), and ``is_spam`` (D9) which drops whole rows. The blocks
keep their Origin, so provenance survives normalization.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

from ..domain.text import DOMAIN_WORDS, RADICALS, SPAM_WORDS
from ..model import Block, Document, Finding

_PINYIN = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿê"
# 報(bào), 務(wù), toneless (gong)(gong), and the '?zhí)' debris of an unmappable character
# (written to open with one character set, which the regex engine scans for quickly)
_PINYIN_RE = re.compile(
    rf"[(（?](?:(?<=[(（])[{_PINYIN}]{{1,7}}[)）](?:[(（][{_PINYIN}]{{1,7}}[)）])*|(?<=\?)[{_PINYIN}]{{1,7}}[)）])"
)
_PINYIN_AT = re.compile(rf"[(（][{_PINYIN}]{{1,7}}[)）]")
_RADICAL_TABLE = str.maketrans(RADICALS)
# C0 control characters are extraction debris; tab and newline never reach a block
_CONTROLS = {c: None for c in [*range(0, 9), *range(11, 32), 127]}
_RADICAL_TABLE.update(_CONTROLS)
_JOINED_TABLE = {k: v for k, v in _RADICAL_TABLE.items() if k != 0x1F}
_NEEDS_TABLE = re.compile("[\x00-\x08\x0b-\x1e\x7f\u2e80-\u2eff]")
# what ``canonical`` turns into one space: a run of two or more spaces of any kind, or one
# space that is not ASCII (single ASCII spaces, the common case, are not touched)
_SPACES = re.compile(r"[ \u00a0\u3000\u2000-\u200b\ufeff]{2,}|[\u00a0\u3000\u2000-\u200b\ufeff]")
# Full-width ASCII and the ideographic space, the compatibility characters nearly every
# Chinese text has (（），：), mapped up front: NFKC proper is slow on CJK text (it decomposes
# every character), and after this mapping most texts pass its quick check untouched. The
# commonest go through str.replace (a fast scan each); a regex catches the rest.
_COMMON_WIDE = (*((c, chr(ord(c) - 0xFEE0)) for c in "，（）：；！？％．／－"), ("\u3000", " "))
_WIDE = re.compile("[\uff01-\uff5e\u3000]+")
_WIDE_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# spaces NFKC leaves alone
_ODD_SPACES = ("\u200b", "\ufeff", "  ")
# Characters common in traditional text and absent from simplified text.
_TRADITIONAL_MARKERS = (
    "開報務國門們說這個來時對會與發經過還學現當麼點樣實總體區縣辦應處認關據計劃規範條請許導單類內資訊處檔構機書"
)
_TRADITIONAL_RE = re.compile(f"[{_TRADITIONAL_MARKERS}]")


def has_pinyin(text: str) -> bool:
    """Whether some character is followed by a pinyin annotation, 報(bào). Found from the
    parentheses (a regex scan of the whole text is several times slower)."""
    for paren in "(（":
        i = text.find(paren, 1)
        while i > 0:
            if "\u3400" <= text[i - 1] <= "\u9fff" and _PINYIN_AT.match(text, i):
                return True
            i = text.find(paren, i + 1)
    return False


def strip_pinyin(text: str) -> str:
    """Remove inline pinyin annotations that follow characters: 報(bào) -> 報."""
    return _PINYIN_RE.sub("", text)


@lru_cache(maxsize=1)
def _converter():  # opencc loads its dictionaries once per process
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text)


def is_traditional(text: str) -> bool:
    # six distinct marker characters (a simplified text shows none of them); a traditional
    # text shows them at once, so the scan stops there
    seen = set()
    for m in _TRADITIONAL_RE.finditer(text, 0, 20000):
        seen.add(m.group())
        if len(seen) >= 6:
            return True
    return False


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, fast on Chinese text (see ``_COMMON_WIDE``)."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    for wide, narrow in _COMMON_WIDE:
        if wide in text:
            text = text.replace(wide, narrow)
    if unicodedata.is_normalized("NFKC", text):
        return text
    text = _WIDE.sub(lambda m: m.group().translate(_WIDE_TABLE), text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def _one_space(text: str) -> str:
    """Runs of spaces -> one space, after NFKC (which made every other space an ASCII one)."""
    return _SPACES.sub(" ", text) if any(s in text for s in _ODD_SPACES) else text


def canonical(text: str) -> str:
    """NFKC (full-width -> half-width, Kangxi radicals -> characters), supplement radicals,
    one space for any run of spaces."""
    if text.isascii():
        return " ".join(text.translate(_CONTROLS).split())
    text = nfkc(text).translate(_RADICAL_TABLE)
    return _one_space(text).strip()


_SPAM_RE = re.compile("|".join(re.escape(w) for w in SPAM_WORDS))
_DOMAIN_RE = re.compile("|".join(DOMAIN_WORDS))


_SEP = "\x1f"  # unit separator: survives NFKC and never occurs in report text


def _canonical_all(texts: list[str], joined: str | None = None) -> tuple[list[str], str]:
    """``canonical`` over all blocks in one pass (one NFKC call instead of hundreds).

    ``joined`` is ``_SEP.join(texts)`` when the caller has it. Returns the canonical texts
    and their join (with ``_SEP``)."""
    if not texts:
        return [], ""
    if joined is None:
        joined = _SEP.join(texts)
    if joined.count(_SEP) == len(texts) - 1:
        joined = nfkc(joined)
        if _NEEDS_TABLE.search(joined):
            joined = joined.translate(_JOINED_TABLE)
        joined = _one_space(joined)
        out = joined.split(_SEP)
        if len(out) == len(texts):
            return list(map(str.strip, out)), joined
    out = [canonical(t) if t else t for t in texts]  # a block holds the separator itself
    return out, _SEP.join(out)  # (canonical removed it: it is a control character)


def is_spam(text: str) -> bool:
    if not _SPAM_RE.search(text):
        return False
    hits = sum(1 for w in SPAM_WORDS if w in text)
    if hits >= 2:
        return True
    return hits == 1 and len(text) < 60 and not any(w in text for w in DOMAIN_WORDS)


def _rows_with_spam_words(blocks: list[Block], joined: str) -> list[tuple[int, str]]:
    """(row, the row's text) for each row with a spam word in it. Spam is judged per row (a
    line), and only rows with a word can be spam: most documents have none, and a few rows
    at most, so the rows are found from the matches, not by joining every row."""
    rows: dict[int, None] = {}
    index = 0  # the block the scan has reached: separators counted up to each match
    last = 0
    for m in _SPAM_RE.finditer(joined):
        index += joined.count(_SEP, last, m.start())
        last = m.start()
        rows[blocks[index].row] = None
    if not rows:
        return []
    texts: dict[int, list[str]] = {row: [] for row in rows}
    for b in blocks:
        if b.row in texts:
            texts[b.row].append(b.text)
    return [(row, "".join(parts)) for row, parts in texts.items()]


def normalize(doc: Document) -> Document:
    texts = [b.text for b in doc.blocks]
    raw = _SEP.join(texts)
    script = "simplified"
    if has_pinyin(raw) or "?" in raw:
        stripped = strip_pinyin(raw).split(_SEP)  # an annotation never spans two blocks
        texts = stripped if len(stripped) == len(texts) else [strip_pinyin(t) for t in texts]
        raw = None
    if is_traditional(raw if raw is not None else "\n".join(texts)):
        script = "traditional"
        joined = to_simplified("\n".join(texts))
        converted = joined.split("\n")
        # conversion is per character and keeps line count; check rather than assume
        texts = converted if len(converted) == len(texts) else [to_simplified(t) for t in texts]
        raw = None
    canonical_texts, canonical_joined = _canonical_all(texts, raw)
    # blocks whose text is already canonical are shared, not copied (most of them)
    blocks = [b if t == b.text else Block(t, b.row, b.origin) for b, t in zip(doc.blocks, canonical_texts, strict=True)]
    spam_rows = {row for row, text in _rows_with_spam_words(blocks, canonical_joined) if is_spam(text)}
    findings = list(doc.findings)
    if spam_rows:
        blocks = [b for b in blocks if b.row not in spam_rows]
        findings.append(Finding.of("SPAM_REMOVED", count=len(spam_rows)))
    if script == "traditional":
        findings.append(Finding.of("TRADITIONAL_SCRIPT"))
    return Document(
        path=doc.path,
        media_type=doc.media_type,
        blocks=blocks,
        encoding=doc.encoding,
        script=script,
        findings=findings,
        meta=dict(doc.meta),
    )
