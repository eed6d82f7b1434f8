#!/usr/bin/env bash
# The schemas as other languages use them: Python jsonschema, pydantic models from
# datamodel-code-generator, check-jsonschema, JavaScript Ajv, and TypeScript types from
# openapi-typescript, each on the fixtures of tests/fixtures/ (see tests/ecosystems/README.md).
#
# Usage: tests/ecosystems/run.sh [--profile strict|tolerant]
#   strict (default): schemas/, whose evolved payloads (tests/fixtures/evolved/) are refused;
#   tolerant: schemas/tolerant/ (same file names), whose evolved payloads are accepted.
# Installs its pinned tools on first use (or when a pin changes): Python ones from
# python/requirements.txt into <cargo target dir>/ecosystems-venv, JavaScript ones with `npm ci`
# from javascript/package-lock.json. Prints one line per tool; exits 1 on any disagreement.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
# shellcheck source=pinned_tools.sh
source "$here/pinned_tools.sh"

profile="strict"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --profile) profile="${2:-}"; shift 2 ;;
        --profile=*) profile="${1#--profile=}"; shift ;;
        *) echo "usage: $0 [--profile strict|tolerant]" >&2; exit 2 ;;
    esac
done
case "$profile" in
    strict) schemas="$root/schemas"; evolved="refused" ;;
    tolerant) schemas="$root/schemas/tolerant"; evolved="accepted" ;;
    *) echo "unknown profile '$profile': strict or tolerant" >&2; exit 2 ;;
esac
if [[ ! -f "$schemas/openapi.json" ]]; then
    echo "no $schemas/openapi.json: the $profile profile is not generated" >&2
    exit 1
fi
fixtures="$root/tests/fixtures"

target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
work="$target_dir/ecosystems/$profile"
mkdir -p "$work"

# Pinned Python tools, reinstalled when the requirements change.
venv="$target_dir/ecosystems-venv"
install_python_venv "$venv" "$here/python/requirements.txt"

# Pinned JavaScript tools, reinstalled with `npm ci` when package-lock.json changes.
javascript="$here/javascript"
install_node_modules "$javascript"

# Every verdict must be the Rust validator's (tests/tests/ecosystem_verdicts.rs writes them).
export KIMOBY_VERDICTS="$here/verdicts/$profile.json"

failed=()
check() {
    local name="$1"
    shift
    if ! "$@"; then
        failed+=("$name")
    fi
}
python_checks="$here/python"
check "python jsonschema" "$venv/bin/python" "$python_checks/jsonschema_verdicts.py" \
    --schemas "$schemas" --fixtures "$fixtures" --evolved "$evolved"
check "python pydantic" "$venv/bin/python" "$python_checks/pydantic_models.py" \
    --schemas "$schemas" --fixtures "$fixtures" --work "$work/pydantic"
check "python check-jsonschema" "$venv/bin/python" "$python_checks/check_jsonschema_cli.py" \
    --schemas "$schemas" --fixtures "$fixtures" --evolved "$evolved"
check "javascript ajv" node "$javascript/ajv-verdicts.mjs" \
    --schemas "$schemas" --fixtures "$fixtures" --evolved "$evolved"
check "typescript" node "$javascript/typescript-check.mjs" \
    --schemas "$schemas" --fixtures "$fixtures" --work "$work/typescript"

if [[ ${#failed[@]} -gt 0 ]]; then
    printf 'ecosystems (%s profile): %d check(s) failed: %s\n' "$profile" "${#failed[@]}" "${failed[*]}" >&2
    exit 1
fi
echo "ecosystems ($profile profile): every tool agrees"
