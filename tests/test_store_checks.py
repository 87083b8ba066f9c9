"""Checks across reports: planted problems are all found, the clean part raises nothing."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from gongkai.store import Corpus
from gongkai.store.schema import findings, reports


def test_planted_inconsistencies_are_found_and_nothing_else(store_url: str, tmp_path: Path, store_corpus) -> None:  # type: ignore[no-untyped-def]
    planted = store_corpus(tmp_path / "in", n_bodies=30, years=range(2021, 2024), breaks=3, copies=3, duplicates=3)
    with Corpus(store_url) as c:
        s = c.ingest([planted.root], jobs=1, progress=False)
        assert s.failed == 0 and s.parsed == len(planted.files)
        summary = c.check()
        with c.engine.connect() as conn:
            who = {
                rid: (body, year)
                for rid, body, year in conn.execute(sa.select(reports.c.id, reports.c.issuing_body, reports.c.year))
            }
            found: dict[str, list[list[str]]] = {}
            for rule, ids in conn.execute(sa.select(findings.c.rule, findings.c.report_ids).where(findings.c.source == "corpus")):
                found.setdefault(rule, []).append(ids)
        # every planted problem, and nothing on the clean part
        assert set(found) == {"CARRY_OVER", "COPIED_NARRATIVE", "DUPLICATE_PUBLICATION"}, found
        assert {who[ids[1]] for ids in found["CARRY_OVER"]} == planted.carry_breaks
        assert len(found["CARRY_OVER"]) == 3
        copiers = {who[ids[0]] for ids in found["COPIED_NARRATIVE"]} | {who[ids[1]] for ids in found["COPIED_NARRATIVE"]}
        assert planted.copies <= copiers and len(found["COPIED_NARRATIVE"]) == 3
        assert {who[ids[0]] for ids in found["DUPLICATE_PUBLICATION"]} == planted.duplicates
        assert len(found["DUPLICATE_PUBLICATION"]) == 3
        assert summary.rules["CARRY_OVER"] == 3
        # checking again replaces the corpus findings instead of adding to them
        again = c.check()
        assert again.rules == summary.rules
        with c.engine.connect() as conn:
            n = conn.execute(sa.select(sa.func.count()).select_from(findings).where(findings.c.source == "corpus")).scalar()
        assert n == sum(summary.rules.values())


def test_generated_narratives_differ_like_real_ones() -> None:
    """gongkai.testing.fixtures writes prose that differs from body to body (no two reports' sections
    reach the copy threshold), while a body's consecutive years share more than strangers do."""
    import random
    from itertools import combinations

    from gongkai.corpus.crosscheck import COPY_THRESHOLD, narrative_signature, similar
    from gongkai.store.work import NARRATIVE_SECTIONS
    from gongkai.testing.fixtures import random_body, random_report

    rng = random.Random(4)
    bodies = list(dict.fromkeys(random_body(rng) for _ in range(80)))[:50]
    sigs: dict[str, list[tuple[str, int, list[int]]]] = {s: [] for s in NARRATIVE_SECTIONS}
    for body in bodies:
        for year in range(2021, 2025):
            spec = random_report(rng, "2021", body=body, year=year)
            for section in NARRATIVE_SECTIONS:
                values, keys = narrative_signature(spec.sections[section], names=(body,))
                if keys:
                    sigs[section].append((body, year, values))
    same, strangers = [], []
    for section, rows in sigs.items():
        assert len(rows) > (60 if section == "other" else 190), section
        for (b1, y1, s1), (b2, y2, s2) in combinations(rows, 2):
            j = similar(s1, s2)
            assert j < COPY_THRESHOLD, (section, b1, y1, b2, y2, j)
            if b1 == b2 and abs(y1 - y2) == 1:
                same.append(j)
            elif b1 != b2:
                strangers.append(j)
    assert sum(same) / len(same) > sum(strangers) / len(strangers)


def test_generated_prose_agrees_with_the_tables() -> None:
    """The numbers the prose states (applications received, no review or lawsuit) are the
    tables' own: the generated reports raise no text-versus-table finding."""
    import random

    from gongkai.api import parse_bytes
    from gongkai.render.text import render_text
    from gongkai.testing.fixtures import random_report

    for seed in range(30):
        spec = random_report(random.Random(seed), "2021", blank_style="none")
        report = parse_bytes(render_text(spec, "tsv", seed=seed).encode(), f"<seed {seed}>")
        assert [f.message for f in report.findings if f.rule == "TEXT_TABLE_MISMATCH"] == [], seed
