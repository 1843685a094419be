#!/usr/bin/env bash
# The README as a newcomer reads it: start the server with the command of
# "## Run it" exactly as written (SQLite, a database file in a temporary
# directory), paste every ```sh block of "## A first session with curl"
# into one `bash -euo pipefail` with KEY set to the key the server printed,
# stop the server with SIGTERM and expect exit 0; then the same with the
# block of "## Run on PostgreSQL" (a fresh database name instead of the
# README's, dropped afterwards).
#
# Every `curl` of the walkthrough runs through a function that adds
# `--fail-with-body` (so a 4xx/5xx answer fails its block under `set -e`)
# and reports the status of each request; a request counts as passed when
# its status is 2xx.
#
# The server listens on a free port (FERROBOOKS_LISTEN; `localhost:8080` in
# the blocks is rewritten to it). FERROBOOKS_README_BIN=/path/to/ferrobooks
# replaces `cargo run ... --` in the README's commands with that binary
# (local experiments only: CI runs the commands as written, after a
# `cargo build` derived from them that is not timed).
#
# Closing line: `readme: N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=common.sh
source .ci/common.sh

readme=README.md
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok   $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL $*"; }

# extract SECTION PREFIX: writes each ```sh block of the README section
# (from its "## " heading to the next) to PREFIX.1.sh, PREFIX.2.sh, ...;
# prints how many.
extract() {
  python3 - "$readme" "$1" "$2" <<'PY'
import re, sys
path, title, prefix = sys.argv[1:]
lines = open(path, encoding="utf-8").read().split("\n")
try:
    start = lines.index("## " + title) + 1
except ValueError:
    sys.exit(f"{path} has no section '## {title}'")
end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
blocks, cur, fence, first = [], None, None, 0
for n, line in enumerate(lines[start:end], start + 1):
    if cur is None:
        m = re.match(r"^(```+|~~~+)\s*(\S*)", line)
        if m:
            fence, lang, first = m.group(1), m.group(2), n + 1
            cur = [] if lang in ("sh", "bash", "shell", "console") else False
    elif line.startswith(fence) and line.strip() == fence:
        if cur is not False:
            blocks.append((first, "\n".join(cur) + "\n"))
        cur = None
    elif cur is not False:
        cur.append(line)
for i, (first, b) in enumerate(blocks, 1):
    open(f"{prefix}.{i}.sh", "w", encoding="utf-8").write(b)
    open(f"{prefix}.{i}.line", "w").write(f"{first}\n")
print(len(blocks))
PY
}

# The server command of a block: its last line that runs `serve`; the lines
# before it (createdb) run first. Comments and blank lines are dropped.
split_server_block() {
  local file=$1
  grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$file" >"$file.lines" || true
  local n
  n=$(grep -n -E '(^|[[:space:]])serve([[:space:]]|$)' "$file.lines" | tail -n1 | cut -d: -f1)
  if [ -z "$n" ]; then
    echo "no serve command in $file" >&2
    return 1
  fi
  head -n $((n - 1)) "$file.lines" >"$file.pre"
  sed -n "${n}p" "$file.lines" >"$file.cmd"
}

# The command with `cargo run ... --` replaced by FERROBOOKS_README_BIN.
local_cmd() {
  local cmd=$1
  if [ -n "${FERROBOOKS_README_BIN:-}" ]; then
    cmd=$(sed -E "s#^cargo run( [^ ]+)* -- #$FERROBOOKS_README_BIN #" <<<"$cmd")
  fi
  echo "$cmd"
}

# The `cargo build` that the `cargo run` of CMD would do (run untimed first).
build_for() {
  local cmd=$1
  [ -n "${FERROBOOKS_README_BIN:-}" ] && return 0
  case "$cmd" in
    "cargo run"*)
      local args=${cmd#cargo run}
      args=${args%% -- *}
      echo "== cargo build$args (for \`$cmd\`)"
      # shellcheck disable=SC2086
      cargo build $args
      ;;
  esac
}

# walkthrough LABEL PORT KEY: runs the curl blocks against the server.
walkthrough() {
  local label=$1 port=$2 key=$3 dir="$ci_tmp/$1" i
  mkdir -p "$dir"
  local script="$dir/walkthrough.sh" calls="$dir/calls" body="$dir/body.sh" head="$dir/head.sh"
  : >"$calls"
  cat >"$head" <<SH
set -Eeuo pipefail
export FB_CALLS='$calls'
SH
  # Every curl request is reported, and a 4xx/5xx answer is an error; a
  # failing command is named with its line in README.md.
  cat >>"$head" <<'SH'
curl() {
  local out rc=0
  out=$(mktemp)
  command curl --fail-with-body -w '%{stderr}%{http_code} %{method} %{url_effective}\n' "$@" >"$out" 2>>"$FB_CALLS" || rc=$?
  cat "$out"
  if [ "$rc" -ne 0 ]; then echo "curl $* -> exit $rc: $(cat "$out")" >&2; fi
  rm -f "$out"
  return "$rc"
}
export -f curl
fb_readme_line() {
  local n=$1 i
  for ((i = ${#FB_STARTS[@]} - 1; i >= 0; i--)); do
    if [ "$n" -ge "${FB_STARTS[i]}" ]; then echo $((FB_README[i] + n - FB_STARTS[i])); return; fi
  done
  echo "? (in the curl wrapper)"
}
trap 'echo "walkthrough: exit $? at README.md line $(fb_readme_line "$LINENO"): $BASH_COMMAND" >&2' ERR
SH
  # The body: the blocks, KEY and the port put in; FB_STARTS (the first
  # line of each block in the script) goes in the head's last line.
  local offset starts=() readme_lines=() line
  offset=$(($(wc -l <"$head") + 1))
  : >"$body"
  for ((i = 1; i <= walk_blocks; i++)); do
    line=$(cat "$ci_tmp/walk.$i.line")
    {
      echo "echo '--- block $i (README.md line $line)' >&2"
      echo "echo 'block $i' >\"\$FB_CALLS.block\""
    } >>"$body"
    starts+=($((offset + $(wc -l <"$body") + 1)))
    readme_lines+=("$line")
    sed -e "s#^KEY=sk_live_\.\.\..*#KEY='$key'#" \
      -e "s#localhost:8080#localhost:$port#g" -e "s#127\.0\.0\.1:8080#127.0.0.1:$port#g" \
      "$ci_tmp/walk.$i.sh" >>"$body"
    echo "echo 'done $i' >>\"\$FB_CALLS.done\"" >>"$body"
  done
  { cat "$head"; echo "FB_STARTS=(${starts[*]}); FB_README=(${readme_lines[*]})"; cat "$body"; } >"$script"
  local rc=0 t0=$SECONDS
  (cd "$dir" && bash "$script") >"$dir/stdout" 2>"$dir/stderr" || rc=$?
  # The requests, from the -w lines curl wrote to stderr.
  local status method url
  while read -r status method url; do
    [[ $status =~ ^[0-9]{3}$ ]] || continue
    if [[ $status == 2* ]]; then pass "$label: $status $method ${url#http://localhost:"$port"}"; else fail "$label: $status $method ${url#http://localhost:"$port"}"; fi
  done < <(grep -E '^[0-9]{3} [A-Z]+ ' "$calls" 2>/dev/null || true)
  local done_n=0
  [ -f "$calls.done" ] && done_n=$(wc -l <"$calls.done")
  for ((i = 1; i <= walk_blocks; i++)); do
    if [ "$i" -le "$done_n" ]; then
      pass "$label: block $i of \"A first session with curl\""
    elif [ "$i" -eq $((done_n + 1)) ]; then
      fail "$label: block $i of \"A first session with curl\" (exit $rc)"
    else
      fail "$label: block $i of \"A first session with curl\" (not run: block $((done_n + 1)) failed)"
    fi
  done
  if [ "$rc" -ne 0 ]; then
    echo "  --- stdout of the walkthrough"
    sed 's/^/  | /' "$dir/stdout"
    echo "  --- stderr of the walkthrough"
    sed 's/^/  | /' "$dir/stderr"
  fi
  echo "  ($label walkthrough: $((SECONDS - t0))s)"
}

# run_server_block LABEL FILE [PG_DB]: runs the block's commands, the
# server in the background, then the walkthrough, then SIGTERM.
run_server_block() {
  local label=$1 file=$2 newdb=${3:-} line drop_url=
  if ! split_server_block "$file"; then
    fail "$label: no \`serve\` command in the README's block: $(tr '\n' ' ' <"$file")"
    return
  fi
  local cmd
  cmd=$(cat "$file.cmd")
  local pre=()
  while IFS= read -r line; do pre+=("$line"); done <"$file.pre"
  if [ -n "$newdb" ]; then
    # The README's database name, from its --database-url, becomes newdb.
    local url old
    url=$(grep -o -E -- '--database-url[= ][^ ]+' <<<"$cmd" | sed -E 's/^--database-url[= ]//')
    old=$(sed -E 's#^[a-z]+://[^/]*/([^?]*).*#\1#' <<<"$url")
    if [ -z "$url" ] || [ -z "$old" ]; then
      fail "$label: no --database-url with a database name in: $cmd"
      return
    fi
    cmd=${cmd//"$url"/"$(url_with_db "$url" "$newdb")"}
    local j
    for j in "${!pre[@]}"; do pre[j]=$(sed -E "s/(^|[ =\/])$old( |$)/\1$newdb\2/g" <<<"${pre[j]}"); done
    ci_dbs+=("$newdb")
    drop_url=$(url_with_db "$url" postgres)
  fi
  if ! build_for "$cmd"; then
    fail "$label: the build for \`$cmd\` failed"
    return
  fi
  # Inside the checkout (under target/), so that `cargo run` finds the
  # workspace from there; ./ferrobooks.db lands in it.
  mkdir -p "$ci_root/target"
  local dir
  dir=$(mktemp -d "$ci_root/target/ci-readme-$label.XXXXXX")
  ci_dirs+=("$dir")
  for line in "${pre[@]}"; do
    echo "  \$ $line"
    if ! (cd "$dir" && eval "$line"); then
      fail "$label: $line"
      return
    fi
  done
  local port
  port=$(free_port)
  cmd=$(local_cmd "$cmd")
  echo "  \$ $cmd    # in $dir, FERROBOOKS_LISTEN=127.0.0.1:$port"
  local t0=$SECONDS
  (cd "$dir" && export FERROBOOKS_LISTEN="127.0.0.1:$port" && eval "exec $cmd") >"$dir/out" 2>"$dir/err" &
  local pid=$!
  ci_pids+=("$pid")
  if wait_ready "$pid" "$port" "$dir/out" 60; then
    pass "$label: \`$cmd\` printed a key and answers /healthz ($((SECONDS - t0))s)"
  else
    fail "$label: \`$cmd\` did not start"
    sed 's/^/  | /' "$dir/out"
    tail -n 30 "$dir/err" | sed 's/^/  | /'
    stop_server "$pid" || true
    return
  fi
  if [ -z "$newdb" ]; then
    if [ -f "$dir/ferrobooks.db" ]; then pass "$label: created ./ferrobooks.db"; else fail "$label: no ./ferrobooks.db in the working directory"; fi
  fi
  walkthrough "$label" "$port" "$(printed_key "$dir/out")"
  local st=0
  stop_server "$pid" || st=$?
  if [ "$st" -eq 0 ]; then
    pass "$label: SIGTERM, exit 0"
  else
    fail "$label: SIGTERM, exit $st"
    tail -n 20 "$dir/err" | sed 's/^/  | /'
  fi
  if [ -n "$newdb" ]; then
    if psql "$drop_url" -Atqc "DROP DATABASE $newdb" >/dev/null; then
      pass "$label: dropped database $newdb"
    else
      fail "$label: could not drop database $newdb"
    fi
  fi
}

walk_blocks=$(extract "A first session with curl" "$ci_tmp/walk") || walk_blocks=0
run_blocks=$(extract "Run it" "$ci_tmp/run") || run_blocks=0
pg_blocks=$(extract "Run on PostgreSQL" "$ci_tmp/pg") || pg_blocks=0
if [ "$walk_blocks" -eq 0 ] || ! grep -q '^KEY=sk_live_\.\.\.' "$ci_tmp"/walk.*.sh; then
  fail "\"A first session with curl\" has no sh block with a KEY=sk_live_... line"
fi
[ "$run_blocks" -ge 1 ] || fail "\"Run it\" has no sh block"
[ "$pg_blocks" -ge 1 ] || fail "\"Run on PostgreSQL\" has no sh block"

t0=$SECONDS
if [ "$run_blocks" -ge 1 ]; then
  echo "== readme: \"Run it\" (SQLite) and the walkthrough"
  run_server_block sqlite "$ci_tmp/run.1.sh"
fi
if [ "$pg_blocks" -ge 1 ]; then
  echo "== readme: \"Run on PostgreSQL\" and the walkthrough"
  if pg_up; then
    run_server_block postgres "$ci_tmp/pg.1.sh" "fb_readme_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  else
    fail "postgres: PostgreSQL at $ci_pg_admin cannot be reached"
  fi
fi
echo "  (readme: $((SECONDS - t0))s)"
echo "readme: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
