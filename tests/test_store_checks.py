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
