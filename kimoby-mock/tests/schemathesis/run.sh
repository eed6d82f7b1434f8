#!/usr/bin/env bash
# Property-based tests of kimoby-mock with schemathesis: every operation of
# schemas/openapi.json, against the mock binary on a free loopback port, with
# the checks that the mock never answers a 5xx and that every answer matches
# the manifest's response schemas, status codes and content types. Four
# phases: examples, coverage, fuzzing (one operation at a time), then stateful
# (sequences that follow the manifest's response links: create a customer,
# then send it a message, book an appointment, ...; see README.md).
#
# Usage: kimoby-mock/tests/schemathesis/run.sh [extra schemathesis arguments]
# Environment: MAX_EXAMPLES (default 20 per operation and phase), MAX_TIME
# (seconds; unset by default: schemathesis then stops after MAX_EXAMPLES,
# whereas with a budget it keeps fuzzing until the budget is spent), SEED
# (default 1, for reproducible runs), STATEFUL_SCENARIOS (default 150
# sequences) and STATEFUL_STEPS (default 20 calls at most per sequence),
# REPORT_DIR (unset by default: a folder to write schemathesis's NDJSON event
# report to, which statuses.py summarises), SCHEMATHESIS (a schemathesis
# executable to use instead of the pinned one, installed on first use into
# <target dir>/schemathesis-venv from requirements.txt and run through cli.py,
# which works around a CPython 3.11 bug: see there).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"

max_examples="${MAX_EXAMPLES:-20}"
max_time="${MAX_TIME:-}"
seed="${SEED:-1}"
stateful_scenarios="${STATEFUL_SCENARIOS:-150}"
stateful_steps="${STATEFUL_STEPS:-20}"
report_dir=""
if [[ -n "${REPORT_DIR:-}" ]]; then
    mkdir -p "$REPORT_DIR"
    report_dir="$(cd "$REPORT_DIR" && pwd)"
fi
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
    schemathesis_command=("$venv/bin/python" "$here/cli.py")
else
    schemathesis_command=("$SCHEMATHESIS")
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

# The stateful phase: positive data only (a sequence is a chain of valid
# calls; the other phases send the invalid ones), the declared links only (the
# links schemathesis would infer send a whole embedded customer object as a
# customer reference, which is always rejected), and a bounded size.
cat > "$work/schemathesis.toml" <<EOF
[phases.stateful]
max-steps = $stateful_steps

[phases.stateful.generation]
mode = "positive"
max-examples = $stateful_scenarios

[phases.stateful.inference]
algorithms = []
EOF

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
run_schemathesis() {
    local phases="$1" report_name="$2"
    shift 2
    (cd "$work" && "${schemathesis_command[@]}" --config-file "$work/schemathesis.toml" run "$work/openapi.json" \
        --url "$base_url" \
        --auth "$api_key:$api_secret" \
        --phases "$phases" \
        --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance,response_headers_conformance \
        --max-examples "$max_examples" \
        ${max_time:+--max-time "$max_time"} \
        --seed "$seed" \
        --workers 2 \
        --request-timeout 10 \
        --suppress-health-check all \
        --generation-database none \
        ${report_dir:+--report ndjson --report-ndjson-path "$report_dir/$report_name.ndjson"} \
        "$@")
}

status=0
run_schemathesis examples,coverage,fuzzing operations "$@" || status=$?

# The stateful phase runs on its own, against the mock reset to no records:
# Hypothesis replays sequences, and when a record left by the earlier phases
# makes a replayed call answer otherwise (a reference already taken), it ends
# the phase early as flaky (after 12 to 174 of the 150 sequences in a combined
# run; 150 or more every time after a reset).
if kill -0 "$mock_pid" 2>/dev/null; then
    control_url="${base_url%/v1}/_mock/reset"
    if ! python3 -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="POST"), timeout=10)' "$control_url"; then
        echo "could not reset kimoby-mock ($control_url)" >&2
        status=1
    fi
    run_schemathesis stateful stateful "$@" || status=$?
fi

if ! kill -0 "$mock_pid" 2>/dev/null; then
    echo "kimoby-mock died during the run:" >&2
    cat "$work/mock.err" >&2
    status=1
fi
exit "$status"
