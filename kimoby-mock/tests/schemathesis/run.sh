#!/usr/bin/env bash
# Property-based tests of kimoby-mock with schemathesis: every operation of
# schemas/openapi.json, against the mock binary on a free loopback port, with
# the checks that the mock never answers a 5xx and that every answer matches
# the manifest's response schemas, status codes and content types.
#
# Usage: kimoby-mock/tests/schemathesis/run.sh [extra schemathesis arguments]
# Environment: MAX_EXAMPLES (default 20 per operation and phase), MAX_TIME
# (seconds; unset by default: schemathesis then stops after MAX_EXAMPLES,
# whereas with a budget it keeps fuzzing until the budget is spent), SEED
# (default 1, for reproducible runs), SCHEMATHESIS (a
# schemathesis executable to use instead of the pinned one, installed on first
# use into <target dir>/schemathesis-venv from requirements.txt).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"

max_examples="${MAX_EXAMPLES:-20}"
max_time="${MAX_TIME:-}"
seed="${SEED:-1}"
api_key="schemathesis-key"
api_secret="schemathesis-secret"

target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"

# The pinned schemathesis, in its own virtual environment.
if [[ -z "${SCHEMATHESIS:-}" ]]; then
    venv="$target_dir/schemathesis-venv"
    pinned="$(sed -n 's/^schemathesis==//p' "$here/requirements.txt")"
    if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "version $pinned\$"; then
        echo "installing schemathesis $pinned into $venv" >&2
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    fi
    SCHEMATHESIS="$venv/bin/schemathesis"
fi

cargo build --quiet -p kimoby-mock --bin kimoby-mock

work="$(mktemp -d)"
mock_pid=""
cleanup() {
    if [[ -n "$mock_pid" ]] && kill -0 "$mock_pid" 2>/dev/null; then
        kill "$mock_pid" 2>/dev/null || true
        wait "$mock_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# One offline file: the schemas' $ids are never fetched.
python3 "$here/bundle.py" "$root/schemas" > "$work/openapi.json"

"$target_dir/debug/kimoby-mock" --listen 127.0.0.1:0 --api-key "$api_key" --api-secret "$api_secret" \
    > "$work/mock.out" 2> "$work/mock.err" &
mock_pid=$!

base_url=""
for _ in $(seq 1 300); do
    base_url="$(sed -n 's/^kimoby-mock listening on //p' "$work/mock.out")"
    [[ -n "$base_url" ]] && break
    if ! kill -0 "$mock_pid" 2>/dev/null; then
        echo "kimoby-mock exited before listening:" >&2
        cat "$work/mock.err" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z "$base_url" ]]; then
    echo "kimoby-mock did not start within 30 s" >&2
    exit 1
fi
echo "kimoby-mock at $base_url" >&2

# Run from the temporary folder: schemathesis keeps a cache (.schemathesis/)
# in its working directory, which must not land in the work tree.
status=0
(cd "$work" && "$SCHEMATHESIS" run "$work/openapi.json" \
    --url "$base_url" \
    --auth "$api_key:$api_secret" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance,response_headers_conformance \
    --max-examples "$max_examples" \
    ${max_time:+--max-time "$max_time"} \
    --seed "$seed" \
    --workers 2 \
    --request-timeout 10 \
    --suppress-health-check all \
    --generation-database none \
    "$@") || status=$?

if ! kill -0 "$mock_pid" 2>/dev/null; then
    echo "kimoby-mock died during the run:" >&2
    cat "$work/mock.err" >&2
    status=1
fi
exit "$status"
