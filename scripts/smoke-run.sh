#!/usr/bin/env bash
# Starts `make run` in a scratch copy of the database on a spare port, waits for the site,
# logs in as the demo officer and checks the pages answer; stops the server whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${SMOKE_PORT:-8765}"
workdir=$(mktemp -d)
log="$workdir/run.log"
export DATABASE_URL="sqlite:///$workdir/smoke.sqlite3"
PORT="$port" setsid make run >"$log" 2>&1 &
pid=$!
trap 'kill -- -$pid 2>/dev/null || true; rm -rf "$workdir"' EXIT

for _ in $(seq 1 420); do  # make run seeds cases, supervision, two years of analytics history and disclosure first
  curl -fsS "http://127.0.0.1:$port/" -o /dev/null 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$log"; echo "make run exited early" >&2; exit 1; }
  sleep 1
done
grep -q "officer" "$log" || { cat "$log"; echo "make run did not print the demo logins" >&2; exit 1; }

jar="$workdir/cookies"
curl -fsS -c "$jar" "http://127.0.0.1:$port/accounts/login/" -o "$workdir/login.html"
token=$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$workdir/login.html" | head -n 1 | sed 's/.*value="//;s/"$//')
curl -fsS -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}\n' \
  -H "Referer: http://127.0.0.1:$port/accounts/login/" \
  --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=officer" \
  --data-urlencode "password=Demo@2026!" "http://127.0.0.1:$port/accounts/login/" >/dev/null
home=$(curl -fsS -b "$jar" "http://127.0.0.1:$port/home/")
echo "$home" | grep -q "任城区市场监督管理局" || { echo "$home" | head -50; echo "officer home lacks the agency" >&2; exit 1; }
# The public site: the demo's published penalty records are searchable without a login.
public=$(curl -fsS "http://127.0.0.1:$port/public/penalties/")
echo "$public" | grep -q "/public/penalties/[0-9a-f-]\{36\}/" || { echo "$public" | head -50; echo "public search shows no published record" >&2; exit 1; }
echo "smoke test passed: make run served the demo, the officer's home page and the public penalty search"
