#!/usr/bin/env bash
# The main job on the embedded default: set up .venv, then ingest the shared corpus (or the
# paths given) into ./gongkai.db (SQLite), run the checks across reports and print the
# statistics. Re-running adds nothing: ingest is idempotent by content hash.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh all >&2
if [ $# -eq 0 ]; then set -- ../shared/corpus/seeds ../shared/corpus/real; fi
# exit code 3: some files failed (each is listed, and kept in the failures table); go on
.venv/bin/gongkai ingest "$@" --db gongkai.db || [ $? -eq 3 ]
.venv/bin/gongkai stats --db gongkai.db
echo "数据库：$(pwd)/gongkai.db（可用 datasette gongkai.db 浏览，或 .venv/bin/gongkai export --format xlsx -o gongkai.xlsx 导出）"
