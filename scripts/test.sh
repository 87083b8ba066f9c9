#!/usr/bin/env bash
# The whole test suite on a fresh machine: set up .venv, install the system packages the
# tests need when they are missing (PostgreSQL, CJK fonts and pango for the PDF renderer),
# start a throwaway PostgreSQL, then ruff and pytest. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh dev >&2
scripts/system-deps.sh >&2 || echo "test.sh: 部分系统软件包未能安装，相关测试将被跳过" >&2

GONGKAI_TEST_PG_URL="$(bash scripts/postgres.sh)" || GONGKAI_TEST_PG_URL=""
export GONGKAI_TEST_PG_URL
trap 'bash scripts/postgres.sh --stop >/dev/null 2>&1 || true' EXIT

.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest "$@"
