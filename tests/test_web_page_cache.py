"""The report page's cache (web/report_pages.py: the request-independent parts kept per
report, review state and permissions): a change is seen at once, whoever made it and
through whichever door, and no user ever gets another's CSRF token or name."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from gongkai.store import corrections as fixes
from gongkai.web import accounts
from gongkai.web import report_pages as rp
from web_support import PASSWORD, client, csrf_of, make_app, report_ids

HTML = Path(__file__).parent / "files" / "html" / "official-2021-gbk.html"
KEY = "t3.received.natural_person"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("web_cache")
    (root / "src").mkdir()
    shutil.copy(HTML, root / "src" / HTML.name)
    app = make_app(root, [root / "src" / HTML.name], check=False)
    for name in ("ann", "bob"):
        accounts.add_user(app.state.engine, name, "reviewer", PASSWORD)
    yield app
    app.state.engine.dispose()


def rid_of(app) -> str:  # type: ignore[no-untyped-def]
    return report_ids(app)["text/html"]


def cell_html(html: str, key: str) -> str:
    m = re.search(rf'<td class="([^"]*)" data-key="{re.escape(key)}"[^>]*><a [^>]*>([^<]*)</a></td>', html)
    assert m, key
    return f"{m.group(1)}|{m.group(2)}"


def cached(app, rid: str) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for k in list(rp._PARTS.items) if k[0] == str(app.state.engine.url) and k[1] == rid)


def test_a_correction_shows_at_once_on_a_cached_page(app) -> None:  # type: ignore[no-untyped-def]
    rid = rid_of(app)
    rev = client(app, "reviewer")
    token = csrf_of(rev)
    first = rev.get(f"/reports/{rid}").text
    assert rev.get(f"/reports/{rid}").text == first and cached(app, rid) >= 1  # served from the cache
    parsed = fixes.reviewed(app.state.engine.connect(), rid).parsed.value(KEY)
    assert "corrected" not in cell_html(first, KEY) and "T3_ROW_TOTAL" not in first
    # through the page's form
    r = rev.post(f"/reports/{rid}/correct", data={"csrf": token, "key": KEY, "value": str(parsed + 100), "reason": "核对原件"})
    assert r.status_code == 200
    html = rev.get(f"/reports/{rid}").text
    assert cell_html(html, KEY).startswith("n cell st-read corrected") and cell_html(html, KEY).endswith(f"|{parsed + 100:,}")
    assert "T3_ROW_TOTAL" in html and "核对原件" in html  # the re-check's finding and the history
    # by another process on the same database (the library, as `gongkai` commands or another worker do)
    fixes.revert(app.state.engine, rid, KEY, "撤销", "cli")
    html = rev.get(f"/reports/{rid}").text
    assert "corrected" not in cell_html(html, KEY) and cell_html(html, KEY).endswith(f"|{parsed:,}")
    assert "T3_ROW_TOTAL" not in html.split("更正与驳回记录")[0]
    # a dismissal, at once too
    fixes.correct(app.state.engine, rid, KEY, parsed + 100, "再试", "cli")
    page = rev.get(f"/reports/{rid}").text
    fp = re.search(r'data-fingerprint="(T3_ROW_TOTAL[^"]*)"', page)
    assert fp and 'class="sev-error" data-cells' in page
    n = int(re.search(r'id="n-errors">(\d+)<', page).group(1))
    rev.post(
        f"/reports/{rid}/dismiss", data={"csrf": token, "fingerprint": fp.group(1), "reason": "原件如此", "action": "dismiss"}
    )
    page = rev.get(f"/reports/{rid}").text
    assert int(re.search(r'id="n-errors">(\d+)<', page).group(1)) == n - 1
    assert re.search(rf'class="sev-error dismissed" data-cells="[^"]*" data-fingerprint="{re.escape(fp.group(1))}"', page)
    fixes.dismiss(app.state.engine, rid, fp.group(1), "", "cli", restore=True)
    fixes.revert(app.state.engine, rid, KEY, "测试结束", "cli")
    assert "corrected" not in cell_html(rev.get(f"/reports/{rid}").text, KEY)


def tokens_in(html: str) -> set[str]:
    return set(re.findall(r'name="csrf" value="([^"]*)"', html)) | set(re.findall(r'data-csrf="([^"]*)"', html))


def test_two_users_pages_never_share_a_csrf_token_or_a_name(app) -> None:  # type: ignore[no-untyped-def]
    rid = rid_of(app)
    ann, bob, viewer = client(app, "ann"), client(app, "bob"), client(app, "viewer")
    a_token, b_token = csrf_of(ann), csrf_of(bob)
    assert a_token != b_token
    for _ in range(2):  # the second round from the cache
        a, b, v = (c.get(f"/reports/{rid}?cell={KEY}").text for c in (ann, bob, viewer))
        assert tokens_in(a) == {a_token} and tokens_in(b) == {b_token}
        assert b_token not in a and a_token not in b and a_token not in v and b_token not in v
        assert '<span class="who">ann（' in a and '<span class="who">bob（' not in a
        assert '<span class="who">bob（' in b and '<span class="who">ann（' not in b
        # what a viewer may not do is not on its page, though a reviewer's page of the same state is cached
        assert 'id="correct"' in a and 'class="inline dismiss"' in a
        assert 'id="correct"' not in v and 'class="inline dismiss"' not in v
        assert f'id="correct-key" name="key" value="{KEY}"' in a  # the query's cell, per request
    # a bearer request carries no session, so no token at all
    bearer = client(app)
    bearer.headers["Authorization"] = "Bearer " + accounts.make_token(app.state.engine, "ann")
    assert tokens_in(bearer.get(f"/reports/{rid}").text) == {""}
    # the message of a redirect is the request's, never kept
    assert "你好" in ann.get(f"/reports/{rid}?message=你好").text and "你好" not in bob.get(f"/reports/{rid}").text


def test_the_cache_is_bounded() -> None:
    assert rp._PARTS.size <= 512
    lru = rp.Lru(3)
    for i in range(10):
        lru.put(i, i)
    assert list(lru.items) == [7, 8, 9] and lru.get(0) is None
