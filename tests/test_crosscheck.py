"""Checks across reports: a body's years, duplicates, jumps and copied narratives."""

from __future__ import annotations

import random
import subprocess
import sys
from decimal import Decimal

import pytest

from gongkai.corpus.crosscheck import (
    COPY_THRESHOLD,
    MIN_NARRATIVE_CHARS,
    YEAR_JUMP_MIN_CHANGE,
    CrossFinding,
    ReportRecord,
    check_body_history,
    copied_narrative,
    lsh_params,
    narrative_signature,
    normalize_narrative,
    similar,
)
from gongkai.domain.labels import T3_COLUMNS, T3_PARTS

BODY = "淮安市洪泽区人民政府"


# ---------------------------------------------------------------- a consistent history
def history(rng: random.Random, years: range, body: str = BODY) -> list[ReportRecord]:
    """One body's reports, each year's 上年结转 = last year's 结转下年度 and 现行有效 carried on."""
    out = []
    forward = {c: rng.randint(0, 5) for c in T3_PARTS}
    in_force = {"regulations": rng.randint(0, 20), "normative_docs": rng.randint(0, 200)}
    for y in years:
        cells: dict[str, int | Decimal | None] = {}
        carried = forward
        forward = {c: rng.randint(0, 5) for c in T3_PARTS}
        for c in T3_PARTS:
            received = rng.randint(20, 60)
            cells[f"t3.received.{c}"] = received
            cells[f"t3.carried_over.{c}"] = carried[c]
            cells[f"t3.carried_forward.{c}"] = forward[c]
            cells[f"t3.total_handled.{c}"] = received + carried[c] - forward[c]
        for row in ("received", "carried_over", "carried_forward", "total_handled"):
            cells[f"t3.{row}.total"] = sum(cells[f"t3.{row}.{c}"] for c in T3_PARTS)  # type: ignore[misc]
        for row in in_force:
            issued, repealed = rng.randint(0, 10), rng.randint(0, 3)
            repealed = min(repealed, in_force[row] + issued)
            in_force[row] = in_force[row] + issued - repealed
            cells[f"t2.{row}.issued"] = issued
            cells[f"t2.{row}.repealed"] = repealed
            cells[f"t2.{row}.in_force"] = in_force[row]
        cells["t2.punishment.decisions"] = rng.randint(100, 180)
        cells["t2.licensing.decisions"] = rng.randint(1000, 1400)
        cells["t4.review.total"] = rng.randint(0, 4)
        cells["t4.litigation_direct.total"] = rng.randint(0, 2)
        cells["t4.litigation_after_review.total"] = rng.randint(0, 2)
        out.append(ReportRecord(f"{body}-{y}", body, y, "2021", cells, {}, content_hash=f"h{y}"))
    return out


def replace(rec: ReportRecord, **cells: int | Decimal | None) -> ReportRecord:
    new = dict(rec.cells)
    for k, v in cells.items():
        new[k.replace("__", ".")] = v
    return ReportRecord(rec.report_id, rec.body, rec.year, rec.format, new, rec.sections, rec.content_hash + "x")


@pytest.mark.parametrize("seed", range(30))
def test_consistent_histories_give_no_findings(seed: int) -> None:
    rng = random.Random(seed)
    recs = history(rng, range(2021, 2021 + rng.randint(1, 8)))
    rng.shuffle(recs)  # any order
    assert check_body_history(recs) == []


def test_empty_and_single_histories() -> None:
    assert check_body_history([]) == []
    assert check_body_history(history(random.Random(1), range(2022, 2023))) == []


# ---------------------------------------------------------------- CARRY_OVER
def test_carry_over_mismatch_found_per_column() -> None:
    recs = history(random.Random(7), range(2021, 2025))
    prev = recs[1]
    fwd_total = prev.cells["t3.carried_forward.total"]
    fwd_np = prev.cells["t3.carried_forward.natural_person"]
    recs[2] = replace(recs[2], t3__carried_over__total=fwd_total + 3, t3__carried_over__natural_person=fwd_np + 3)  # type: ignore[operator]
    found = check_body_history(recs)
    assert [f.rule for f in found] == ["CARRY_OVER"]
    f = found[0]
    assert f.severity == "warning"
    assert f.report_ids == [recs[1].report_id, recs[2].report_id]
    assert set(f.cells) == {
        "t3.carried_forward.natural_person",
        "t3.carried_over.natural_person",
        "t3.carried_forward.total",
        "t3.carried_over.total",
    }
    assert f.expected == {"t3.carried_over.natural_person": fwd_np, "t3.carried_over.total": fwd_total}
    assert f.found == {"t3.carried_over.natural_person": fwd_np + 3, "t3.carried_over.total": fwd_total + 3}  # type: ignore[operator]
    assert "2023年度" in f.message and "2022年度" in f.message and BODY in f.message
    assert f"{fwd_total}" in f.message and f"{fwd_total + 3}" in f.message  # type: ignore[operator]


def test_carry_over_skips_blank_columns_and_missing_years() -> None:
    recs = history(random.Random(3), range(2020, 2024))
    # blank is not zero: a blank column is not compared
    recs[2] = replace(recs[2], t3__carried_over__total=None, t3__carried_over__commercial=None)
    recs[1] = replace(recs[1], t3__carried_forward__commercial=None)
    assert check_body_history(recs) == []
    # a gap year: 2021 and 2023 are not compared
    gap = [recs[0], recs[2]]
    gap[1] = replace(gap[1], t3__carried_over__total=999)
    assert check_body_history(gap) == []


def test_carry_over_with_two_versions_any_agreeing_pair_clears() -> None:
    recs = history(random.Random(11), range(2021, 2024))
    wrong = replace(recs[2], t3__carried_over__total=12345)
    wrong = ReportRecord("v2", wrong.body, wrong.year, wrong.format, wrong.cells, {}, "other")
    found = check_body_history([*recs, wrong])
    # the two 2023 versions differ (DUPLICATE_PUBLICATION) but one agrees with 2022
    assert [f.rule for f in found] == ["DUPLICATE_PUBLICATION"]


# ---------------------------------------------------------------- IN_FORCE_CONTINUITY
def test_in_force_continuity() -> None:
    recs = history(random.Random(5), range(2021, 2024))
    recs[2] = replace(recs[2], t2__normative_docs__in_force=recs[2].cells["t2.normative_docs.in_force"] + 7)  # type: ignore[operator]
    found = check_body_history(recs)
    assert [f.rule for f in found] == ["IN_FORCE_CONTINUITY"]
    f = found[0]
    assert f.severity == "info"
    assert f.cells == ["t2.normative_docs.in_force", "t2.normative_docs.issued", "t2.normative_docs.repealed"]
    assert f.found == f.expected + 7  # type: ignore[operator]
    assert "行政规范性文件" in f.message and "2023年度" in f.message


def test_in_force_not_compared_across_formats() -> None:
    recs = history(random.Random(5), range(2020, 2022))
    old = recs[0]
    recs[0] = ReportRecord(old.report_id, old.body, old.year, "2019", old.cells, {}, old.content_hash)
    recs[1] = replace(recs[1], t2__regulations__in_force=999)
    assert check_body_history(recs) == []


# ---------------------------------------------------------------- DUPLICATE_PUBLICATION
def test_duplicate_publication_names_the_differing_cells() -> None:
    recs = history(random.Random(9), range(2022, 2023))
    a = recs[0]
    b = ReportRecord(
        "mirror", a.body, a.year, a.format, {**a.cells, "t4.review.total": 40, "t3.received.total": 1}, {}, "h-other"
    )
    found = check_body_history([a, b])
    assert [f.rule for f in found] == ["DUPLICATE_PUBLICATION"]
    assert found[0].cells == ["t3.received.total", "t4.review.total"]
    assert found[0].report_ids == [a.report_id, "mirror"]
    assert "40" in found[0].message and "2022年度" in found[0].message


def test_identical_republication_is_no_duplicate() -> None:
    a = history(random.Random(9), range(2022, 2023))[0]
    same_hash = ReportRecord("copy", a.body, a.year, a.format, {**a.cells, "t4.review.total": 99}, {}, a.content_hash)
    other_hash_same_cells = ReportRecord("copy2", a.body, a.year, a.format, dict(a.cells), {}, "h-x")
    # same content hash: the same document posted twice; different hash, same numbers: a re-format
    assert check_body_history([a, same_hash]) == []
    assert check_body_history([a, other_hash_same_cells]) == []
    # a version with a blank where the other has a number is not a conflict of values
    blanked = ReportRecord("copy3", a.body, a.year, a.format, {**a.cells, "t4.review.total": None}, {}, "h-y")
    assert check_body_history([a, blanked]) == []


# ---------------------------------------------------------------- YEAR_JUMP
def test_year_jump_catches_an_extra_digit() -> None:
    recs = history(random.Random(2), range(2019, 2025))
    v = recs[3].cells["t2.licensing.decisions"]
    recs[3] = replace(recs[3], t2__licensing__decisions=v * 10 + 7)  # type: ignore[operator]
    found = check_body_history(recs)
    assert [(f.rule, f.cells) for f in found] == [("YEAR_JUMP", ["t2.licensing.decisions"])]
    assert found[0].report_ids == [recs[3].report_id]
    assert found[0].found == v * 10 + 7  # type: ignore[operator]
    assert "2022年度" in found[0].message and "中位数" in found[0].message


def test_year_jump_catches_a_lost_digit() -> None:
    recs = history(random.Random(4), range(2019, 2025))
    recs[5] = replace(recs[5], t2__licensing__decisions=12)
    found = check_body_history(recs)
    assert [(f.rule, f.cells, f.report_ids) for f in found] == [("YEAR_JUMP", ["t2.licensing.decisions"], [recs[5].report_id])]
    assert "仅约为" in found[0].message and "1/" in found[0].message


def test_year_jump_quiet_for_small_numbers_and_short_histories() -> None:
    recs = history(random.Random(6), range(2019, 2025))
    # 0 -> 30 is a huge ratio but a small change: below the absolute floor
    for i, r in enumerate(recs):
        recs[i] = replace(r, t4__review__total=0)
    recs[2] = replace(recs[2], t4__review__total=YEAR_JUMP_MIN_CHANGE - 1)
    assert check_body_history(recs) == []
    # with too few other years a jump is not judged
    short = history(random.Random(6), range(2019, 2022))
    short[2] = replace(short[2], t2__licensing__decisions=10**6)
    assert check_body_history(short) == []


def test_year_jump_quiet_for_steady_growth() -> None:
    recs = history(random.Random(8), range(2015, 2025))
    for i, r in enumerate(recs):
        recs[i] = replace(r, **{"t3__received__total": 100 * 2**i})  # doubling each year
    found = [f for f in check_body_history(recs) if f.rule == "YEAR_JUMP"]
    # only the far ends of a 512x range can be 10x from the median
    assert all(f.report_ids[0] in (recs[0].report_id, recs[-1].report_id, recs[1].report_id, recs[-2].report_id) for f in found)


def test_cross_finding_json() -> None:
    f = CrossFinding("X", "info", "消息", [1, 2], ["a"], expected=Decimal("3"), found={"a": Decimal("2.5")})
    assert f.to_json() == {
        "rule": "X",
        "severity": "info",
        "message": "消息",
        "report_ids": [1, 2],
        "cells": ["a"],
        "expected": 3,
        "found": {"a": 2.5},
    }


# ---------------------------------------------------------------- planted errors in many histories
@pytest.mark.parametrize("seed", range(20))
def test_planted_errors_all_found(seed: int) -> None:
    rng = random.Random(1000 + seed)
    recs = history(rng, range(2016, 2025))
    i = rng.randrange(1, len(recs))
    col = rng.choice([c.key for c in T3_COLUMNS])
    key = f"t3.carried_over.{col}"
    recs[i] = replace(recs[i], **{key.replace(".", "__"): recs[i].cells[key] + rng.randint(1, 9)})  # type: ignore[operator]
    found = check_body_history(recs)
    assert [f.rule for f in found] == ["CARRY_OVER"]
    assert key in found[0].cells
    assert found[0].report_ids == [recs[i - 1].report_id, recs[i].report_id]


# ---------------------------------------------------------------- narrative signatures
NARRATIVE = (
    "2023年，我局严格按照《中华人民共和国政府信息公开条例》和上级部门的要求，妥善处理公开与保密的关系，"
    "合理界定信息公开范围，做到积极稳妥、及时准确、公开公正、便民。主要采取政府网站、微信公众号、政务微博、"
    "公示栏等多种公开形式对政务信息进行公开。在平台建设方面，我局通过微信公众号发布信息87条，"
    "为公众获取政府公开信息提供便利，确保相关决策及时传达到基层群众。"
)


def test_signature_shape_and_determinism() -> None:
    values, bands = narrative_signature(NARRATIVE)
    b, r = lsh_params(64)
    assert (b, r) == (8, 8)
    assert len(values) == 64 and all(0 <= v < 2**32 for v in values)
    assert len(bands) == b and len(set(bands)) == b
    assert all(k.startswith(f"b{i:02d}:") and len(k) == 4 + 12 for i, k in enumerate(bands))
    assert narrative_signature(NARRATIVE) == (values, bands)


def test_signature_is_the_same_in_another_process() -> None:
    code = "from gongkai.corpus.crosscheck import narrative_signature as s; import sys; print(s(sys.argv[1])[1])"
    out = subprocess.run([sys.executable, "-c", code, NARRATIVE], capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(narrative_signature(NARRATIVE)[1])


def test_signature_matches_datasketch_minhash() -> None:
    datasketch = pytest.importorskip("datasketch", minversion="2.0")  # the affine32 scheme
    from gongkai.corpus.crosscheck import SIGNATURE_SEED, _shingle_hashes

    hv = _shingle_hashes(normalize_narrative(NARRATIVE), mix=False)
    m = datasketch.MinHash(num_perm=64, seed=SIGNATURE_SEED, hashfunc=lambda x: x, scheme="affine32")
    m.update_batch([int(x) for x in hv])
    assert [int(x) for x in m.hashvalues] == narrative_signature(NARRATIVE)[0]


def test_digits_years_spacing_and_own_name_do_not_matter() -> None:
    a = narrative_signature(NARRATIVE, names=["青铜峡市科学技术局"])
    other_year = NARRATIVE.replace("2023", "2024").replace("87", "112").replace("，", " ")
    named = other_year.replace("我局", "青铜峡市科学技术局")
    b = narrative_signature(named, names=["青铜峡市科学技术局"])
    assert similar(a[0], b[0]) > 0.9
    assert set(a[1]) & set(b[1])


def test_short_and_boilerplate_texts_get_no_bands() -> None:
    assert narrative_signature("无")[1] == []
    assert narrative_signature("")[1] == []
    assert narrative_signature("本年度无其他需要报告的事项。")[1] == []
    short = NARRATIVE[: MIN_NARRATIVE_CHARS - 10]
    assert narrative_signature(short)[1] == []
    assert len(narrative_signature(short)[0]) == 64  # hash values are still there


def test_similar_estimates_jaccard() -> None:
    a, _ = narrative_signature(NARRATIVE)
    assert similar(a, a) == 1.0
    unrelated = (
        "坚持以人民为中心的发展思想，扎实推进乡村振兴战略，加强基础设施建设，完善公共服务体系，提升群众获得感幸福感安全感，" * 2
    )
    c, _ = narrative_signature(unrelated)
    assert similar(a, c) < 0.2
    with pytest.raises(ValueError):
        similar(a, a[:10])
    assert similar([], []) == 0.0


def test_near_copies_share_a_band_and_unrelated_texts_do_not() -> None:
    rng = random.Random(0)
    hits = 0
    for _ in range(50):
        chars = list(NARRATIVE * 2)
        for _ in range(3):  # a few single-character edits
            chars[rng.randrange(len(chars))] = rng.choice("的一是在不了有和人这中大为上个国我以要他")
        edited = "".join(chars)
        if set(narrative_signature(NARRATIVE * 2)[1]) & set(narrative_signature(edited)[1]):
            hits += 1
    assert hits >= 48  # Jaccard ≈ 0.95: a candidate with p ≈ 0.99


def test_copied_narrative_finding() -> None:
    a = ReportRecord(1, "吴忠市青铜峡市科学技术局", 2020, "2019", {}, {"problems": NARRATIVE})
    b = ReportRecord(2, "石嘴山市平罗县科学技术局", 2021, "2021", {}, {"problems": NARRATIVE})
    f = copied_narrative(a, b, "problems", 0.9375)
    assert f.rule == "COPIED_NARRATIVE" and f.severity == "warning"
    assert f.report_ids == [1, 2] and f.cells == [] and f.found == 0.938
    for part in (
        "吴忠市青铜峡市科学技术局",
        "2020年度",
        "石嘴山市平罗县科学技术局",
        "2021年度",
        "存在的主要问题及改进情况",
        "94%",
    ):
        assert part in f.message
    same = copied_narrative(a, ReportRecord(3, a.body, 2021, "2021", {}, {}), "overview", 0.85)
    assert "2020年度与2021年度" in same.message and "总体情况" in same.message


def test_threshold_constant() -> None:
    assert COPY_THRESHOLD == 0.8
