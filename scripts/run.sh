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
# The web app: an admin account the first time (its password printed once), then how to start it.
if [ "$(.venv/bin/gongkai users list --db gongkai.db 2>/dev/null | grep -c $'\tadmin\t')" = "0" ]; then
  pw="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')"
  echo "$pw" | .venv/bin/gongkai users add admin --role admin --password-stdin --db gongkai.db
  echo "已创建网页管理员：用户名 admin，密码 $pw（请妥善保存；可用 gongkai users add admin --role admin --password-stdin 修改）"
fi
echo "网页应用：运行 .venv/bin/gongkai serve --db gongkai.db ，然后在浏览器打开 http://127.0.0.1:8000/"
