# Shared by the ecosystem scripts (sourced, not run): installs pinned tools
# once, and again only when their pins change.
#
#   install_python_venv VENV REQUIREMENTS  -- a venv with exactly those pins
#   install_node_modules DIRECTORY         -- `npm ci` from its package-lock.json
#
# Each keeps the sha256 of its pin file beside what it installed and
# reinstalls from scratch when the file changes.

install_python_venv() {
    local venv="$1" requirements="$2" stamp
    stamp="$(sha256sum "$requirements" | cut -d' ' -f1)"
    if [[ "$(cat "$venv/.requirements-sha256" 2>/dev/null)" != "$stamp" ]]; then
        echo "installing the pinned Python tools into $venv" >&2
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
        echo "$stamp" > "$venv/.requirements-sha256"
    fi
}

install_node_modules() {
    local directory="$1" stamp
    stamp="$(sha256sum "$directory/package-lock.json" | cut -d' ' -f1)"
    if [[ "$(cat "$directory/node_modules/.package-lock-sha256" 2>/dev/null)" != "$stamp" ]]; then
        echo "installing the pinned JavaScript tools (npm ci) into $directory/node_modules" >&2
        (cd "$directory" && npm ci --no-audit --no-fund --loglevel=error)
        echo "$stamp" > "$directory/node_modules/.package-lock-sha256"
    fi
}
