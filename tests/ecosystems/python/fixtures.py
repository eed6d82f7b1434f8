"""The schema folder and the fixtures, as every Python check of tests/ecosystems/ reads them.

A fixture `<fixtures>/<kind>/<schema stem>/<name>.json` is a payload for `<schemas>/<schema
stem>.json`. `valid` fixtures must be accepted, `invalid` ones refused, and `evolved` ones (what
a later server may send: a new field, a new enum value, a new webhook event) are refused by the
strict profile and accepted by the tolerant one, as the runner's `--evolved` option says.
"""

import json
import os
import pathlib
import sys

MANIFEST = "openapi.json"
KINDS = ("valid", "invalid", "evolved")


def read_json(path):
    try:
        return json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SystemExit(f"{path}: cannot read JSON: {error}") from error


def schema_files(folder):
    """Every JSON Schema of `folder` (not the OpenAPI manifest), by file stem."""
    files = {path.stem: path for path in sorted(pathlib.Path(folder).glob("*.json")) if path.name != MANIFEST}
    if not files:
        raise SystemExit(f"{folder}: no schema file")
    return files


def fixture_files(fixtures, kind):
    """(schema stem, path) of every `<fixtures>/<kind>/<stem>/*.json`, sorted; [] if no such folder."""
    folder = pathlib.Path(fixtures) / kind
    if not folder.is_dir():
        return []
    return [
        (directory.name, path)
        for directory in sorted(item for item in folder.iterdir() if item.is_dir())
        for path in sorted(directory.glob("*.json"))
    ]


_VERDICTS = {}


def expected_accepted(kind, evolved, path=None, fixtures=None):
    """Whether a fixture of `kind` must be accepted; `evolved` is "accepted" or "refused".

    With `KIMOBY_VERDICTS` naming a file of the Rust validator's verdicts (fixture path, as
    `shown` prints it, to whether it is accepted; written by `tests/tests/ecosystem_verdicts.rs`),
    that verdict: every tool must agree with the Rust validator, fixture by fixture.
    """
    verdicts_file = os.environ.get("KIMOBY_VERDICTS")
    if verdicts_file and path is not None:
        if verdicts_file not in _VERDICTS:
            _VERDICTS[verdicts_file] = read_json(verdicts_file)
        key = shown(path, fixtures)
        if key not in _VERDICTS[verdicts_file]:
            raise SystemExit(f"{verdicts_file}: no verdict for {key}")
        return _VERDICTS[verdicts_file][key]
    return {"valid": True, "invalid": False, "evolved": evolved == "accepted"}[kind]


def shown(path, fixtures):
    """The fixture path as printed: relative to the fixtures folder."""
    try:
        return str(pathlib.Path(path).relative_to(fixtures))
    except ValueError:
        return str(path)


def report(problems):
    """Prints `problems` (one line each) to stderr; the exit code: 1 if there are any."""
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0
