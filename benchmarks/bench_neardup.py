"""Near-duplicate narratives at corpus scale: signature speed, candidate finding, recall.

Generates N synthetic narratives (random report-like prose with shared boilerplate
phrases, so unrelated texts are not trivially far apart), plants copies of earlier texts
with edits (numbers changed, characters substituted, a sentence dropped), then:

1. computes ``narrative_signature`` for every text (texts/second);
2. finds candidate pairs with an in-memory ``band key -> ids`` dict, which is what the
   store's SQL does with ``GROUP BY band_key HAVING count(*) > 1`` on the band-key table
   (a self-join SQLite answers with a transient index, PostgreSQL with a hash join);
3. confirms candidates with ``similar`` on the stored hash values (>= COPY_THRESHOLD);
4. reports recall on the planted pairs whose true Jaccard is >= COPY_THRESHOLD, precision
   of the confirmed pairs against their true Jaccard, peak memory, and extrapolates the
   times and the band table to 1,000,000 texts.

    .venv/bin/python benchmarks/bench_neardup.py --n 200000
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections import defaultdict
from itertools import combinations

import numpy as np

from gongkai.corpus.crosscheck import COPY_THRESHOLD, SHINGLE, lsh_params, narrative_signature, normalize_narrative

# Common characters of official prose, so shingles look like the real thing.
CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
    "十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相"
    "全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果"
    "料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则"
    "任取据处理府研质信息依申请办法规范工作制度落实推进加强完善健全监督保障服务群众社会经济发展改革创新领导责任考核培训宣传网站平台"
)
BOILERPLATE = [
    "严格按照中华人民共和国政府信息公开条例的要求",
    "坚持以公开为常态不公开为例外的原则",
    "进一步加强组织领导明确工作职责",
    "不断提高政府信息公开工作的质量和水平",
    "切实保障人民群众的知情权参与权表达权监督权",
    "按照上级部门关于政务公开工作的部署要求",
    "认真做好政府信息公开申请的受理和答复工作",
    "存在的主要问题是信息发布不够及时公开内容不够全面",
]
EDIT_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地"


def make_vocab(rng: random.Random, size: int = 30000) -> list[str]:
    return ["".join(rng.choices(CHARS, k=rng.choice((2, 2, 3, 4)))) for _ in range(size)]


def make_text(rng: random.Random, vocab: list[str], length: int) -> str:
    parts: list[str] = []
    n = 0
    while n < length:
        if rng.random() < 0.08:
            piece = rng.choice(BOILERPLATE)
        else:
            piece = "".join(rng.choices(vocab, k=rng.randint(4, 12)))
        if rng.random() < 0.3:
            piece += f"{rng.randint(1, 999)}件"
        parts.append(piece)
        parts.append(rng.choice("，，，。；"))
        n += len(piece) + 1
    return "".join(parts)


def edit(rng: random.Random, text: str, kind: str) -> str:
    """A planted copy: what a body does to last year's or another body's text."""
    digits = "".join(rng.choice("0123456789") if c.isdigit() else c for c in text)  # new numbers
    if kind == "exact":
        return digits.replace("。", "；", 1)
    # each substituted character breaks up to SHINGLE shingles: 0.5% -> Jaccard ~0.95,
    # 2% + a dropped sentence -> ~0.75-0.85, 10% -> ~0.4 (not a copy any more)
    rate = {"light": 0.005, "medium": 0.02, "heavy": 0.10}[kind]
    chars = list(digits)
    for _ in range(int(len(chars) * rate)):
        chars[rng.randrange(len(chars))] = rng.choice(EDIT_CHARS)
    out = "".join(chars)
    if kind in ("medium", "heavy"):
        sentences = out.split("。")
        if len(sentences) > 3:
            sentences.pop(rng.randrange(len(sentences)))
        out = "。".join(sentences)
    return out


def shingles(text: str) -> set[str]:
    t = normalize_narrative(text)
    return {t[i : i + SHINGLE] for i in range(len(t) - SHINGLE + 1)}


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / max(1, len(sa | sb))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # ru_maxrss is KiB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000, help="number of narratives")
    ap.add_argument("--copy-rate", type=float, default=0.01, help="fraction of texts that are planted copies")
    ap.add_argument("--num-perm", type=int, default=64)
    ap.add_argument("--min-len", type=int, default=150)
    ap.add_argument("--max-len", type=int, default=900)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    bands, rows = lsh_params(args.num_perm)
    print(f"narratives: {args.n:,}  planted copies: {args.copy_rate:.1%}  num_perm={args.num_perm} ({bands} bands x {rows} rows)")

    # ------------------------------------------------------------ generate
    t0 = time.perf_counter()
    vocab = make_vocab(rng)
    texts: list[str] = []
    planted: dict[tuple[int, int], str] = {}
    kinds = ("exact", "light", "medium", "heavy")
    for i in range(args.n):
        if i > 10 and rng.random() < args.copy_rate:
            src = rng.randrange(i)
            kind = kinds[i % len(kinds)]
            texts.append(edit(rng, texts[src], kind))
            planted[(src, i)] = kind
        else:
            texts.append(make_text(rng, vocab, rng.randint(args.min_len, args.max_len)))
    gen_s = time.perf_counter() - t0
    mean_len = sum(map(len, texts)) / len(texts)
    print(f"generated in {gen_s:.1f}s, mean length {mean_len:.0f} characters, peak RSS {rss_mb():.0f} MB")

    # ------------------------------------------------------------ signatures
    values = np.empty((args.n, args.num_perm), dtype=np.uint32)  # the stored hash values column
    buckets: dict[str, list[int]] = defaultdict(list)  # the band-key table, grouped by key
    t0, c0 = time.perf_counter(), time.process_time()
    for i, text in enumerate(texts):
        sig, keys = narrative_signature(text, args.num_perm)
        values[i] = sig
        for k in keys:
            buckets[k].append(i)
    wall_s = time.perf_counter() - t0
    sig_s = time.process_time() - c0  # CPU time: the wall clock also counts other processes on a shared machine
    print(
        f"signatures: {sig_s:.1f}s CPU = {args.n / sig_s:,.0f} texts/s on one core "
        f"(wall {wall_s:.1f}s = {args.n / wall_s:,.0f} texts/s), peak RSS {rss_mb():.0f} MB"
    )

    # ------------------------------------------------------------ candidates (the SQL self-join)
    t0 = time.perf_counter()
    candidates: set[tuple[int, int]] = set()
    largest = 0
    for ids in buckets.values():
        if len(ids) < 2:
            continue
        largest = max(largest, len(ids))
        candidates.update(combinations(sorted(ids), 2))
    cand_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pairs = np.array(sorted(candidates), dtype=np.int64).reshape(-1, 2)
    est = (values[pairs[:, 0]] == values[pairs[:, 1]]).mean(axis=1) if len(pairs) else np.zeros(0)
    confirmed = {(int(a), int(b)) for (a, b), e in zip(pairs, est, strict=True) if e >= COPY_THRESHOLD}
    verify_s = time.perf_counter() - t0
    print(
        f"candidates: {len(candidates):,} pairs from {len(buckets):,} band keys (largest bucket {largest}) "
        f"in {cand_s:.2f}s; confirmed with similar() >= {COPY_THRESHOLD}: {len(confirmed):,} in {verify_s:.2f}s"
    )

    # ------------------------------------------------------------ quality
    truth = {p: jaccard(texts[p[0]], texts[p[1]]) for p in planted}
    positives = {p for p, j in truth.items() if j >= COPY_THRESHOLD}
    print(f"planted pairs: {len(planted):,}, of which true Jaccard >= {COPY_THRESHOLD}: {len(positives):,}")
    for kind in kinds:
        ps = [p for p, k in planted.items() if k == kind]
        if not ps:
            continue
        js = sorted(truth[p] for p in ps)
        found = sum(1 for p in ps if p in candidates)
        print(
            f"  {kind:6s}: {len(ps):5d} pairs, true Jaccard median {js[len(js) // 2]:.2f}, "
            f"candidates {found / len(ps):6.1%}, confirmed {sum(1 for p in ps if p in confirmed) / len(ps):6.1%}"
        )
    for lo, hi in ((COPY_THRESHOLD, 0.9), (0.9, 1.01), (COPY_THRESHOLD, 1.01)):
        group = {p for p in positives if lo <= truth[p] < hi}
        if group:
            print(
                f"recall on planted pairs with {lo:.1f} <= Jaccard{' < ' + format(hi, '.1f') if hi <= 1 else ''}: "
                f"{len(group)} pairs, candidates {len(group & candidates) / len(group):.1%}, "
                f"confirmed {len(group & confirmed) / len(group):.1%}"
            )
    true_conf = {p: truth.get(p) if p in truth else jaccard(texts[p[0]], texts[p[1]]) for p in confirmed}
    near = sum(1 for j in true_conf.values() if j is not None and j >= COPY_THRESHOLD - 0.1)
    unplanted = sum(1 for p in confirmed if p not in planted)
    if confirmed:
        print(
            f"precision of confirmed pairs: {near / len(confirmed):.1%} have true Jaccard >= {COPY_THRESHOLD - 0.1:.1f} "
            f"({unplanted} confirmed pairs were not planted)"
        )
    print(f"peak RSS {rss_mb():.0f} MB")

    # ------------------------------------------------------------ extrapolation
    scale = 1_000_000 / args.n
    key_rows = sum(len(v) for v in buckets.values())
    print(
        "extrapolated to 1,000,000 narratives: "
        f"signatures {sig_s * scale / 60:.1f} min on one core ({sig_s * scale / 60 / 2:.1f} min on 2), "
        f"band-key rows {key_rows * scale:,.0f} "
        f"(~{key_rows * scale * 40 / 2**20:.0f} MB as (key, report id) rows before index), "
        f"hash values {args.num_perm * 4 * 1_000_000 / 2**20:.0f} MB as uint32, "
        f"candidate pairs ~{len(candidates) * scale:,.0f} if buckets stay as small "
        "(they grow with true duplicates, not with corpus size)"
    )


if __name__ == "__main__":
    main()
