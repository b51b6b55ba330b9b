#!/usr/bin/env bash
# Fuzzes the JSON API against its own OpenAPI document with Schemathesis (from PyPI, in a
# virtual environment under target/), as each role of the demo world: no server error,
# and every answer's status, content type and body as the document describes them.
# CPOR_FUZZ_EXAMPLES sets the examples per operation (20 by default).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${CPOR_FUZZ_VENV:-target/fuzz-venv}
if [ ! -x "$venv/bin/st" ]; then
  echo "installing Schemathesis into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==4.32.5"
fi

cargo build -q -p cpor
cpor="${CARGO_TARGET_DIR:-target}/debug/cpor"
dir=$(mktemp -d /tmp/cpor-fuzz.XXXXXX)
port=${CPOR_FUZZ_PORT:-18181}
"$cpor" demo --data-dir "$dir/data" >"$dir/demo.txt" 2>"$dir/demo.log"
"$cpor" serve --data-dir "$dir/data" --listen "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/readyz", timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit("cpor serve did not become ready")
PY

# One token per role: the demo prints "  <role>  <name>  <organisation>  <token>".
failed=0
while read -r role token; do
  ok=0
  # A crash of the tool itself (not a finding) is tried again with another seed.
  for seed in 1 2 3; do
    log="$dir/$role.log"
    if "$venv/bin/st" run "http://127.0.0.1:$port/api/openapi.json" \
        -H "Authorization: Bearer $token" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        -n "${CPOR_FUZZ_EXAMPLES:-20}" --seed "$seed" --workers 1 >"$log" 2>&1; then
      ok=1
      break
    fi
    if grep -q "FAILURES" "$log"; then
      break
    fi
    echo "schemathesis did not finish for $role (seed $seed); trying again" >&2
  done
  if [ "$ok" = 1 ]; then
    echo "schemathesis as $role: $(grep -E '[0-9]+ generated' "$log" | tr -s ' ')"
  else
    echo "schemathesis as $role FAILED:" >&2
    cat "$log" >&2
    failed=1
  fi
done < <(awk '/^  [a-z_]+ +.* cpor_/ && !seen[$1]++ {print $1, $NF}' "$dir/demo.txt")
exit "$failed"
