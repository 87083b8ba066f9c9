#!/usr/bin/env bash
# Debian packages some tests need, installed only when missing: fonts with CJK glyphs and
# pango (WeasyPrint renders the official-layout PDFs the round-trip tests read back), and
# LibreOffice for legacy Word files.
# PostgreSQL is installed by scripts/postgres.sh.
set -euo pipefail
missing=()
fc-list 2>/dev/null | grep -qiE "noto sans cjk|wenquanyi|droid sans fallback" || missing+=(fonts-wqy-zenhei)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
install() {
  $SUDO apt-get install -y -q --no-install-recommends "$@" || { $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends "$@"; }
}
[ ${#missing[@]} -eq 0 ] || install "${missing[@]}"
# Chromium and its driver for the web app's end-to-end tests (tests/test_web_e2e.py drives the
# system's Chromium through Playwright; no browser is downloaded)
command -v chromium >/dev/null 2>&1 || install chromium chromium-driver || echo "system-deps.sh: Chromium 未安装，网页端到端测试将跳过" >&2
# LibreOffice converts legacy .doc/.wps for the reader tests (they skip without it)
command -v soffice >/dev/null 2>&1 || install libreoffice-writer-nogui || echo "system-deps.sh: LibreOffice 未安装，相关测试将跳过" >&2
