#!/usr/bin/env python3
"""The check-jsonschema command README.md gives validates payloads offline, with the expected verdicts.

By default check-jsonschema resolves the schema's relative references against its `$id`, on the
`kimoby-codegen.invalid` host, and fails trying to download them. `--base-uri` pointing at the
schema folder (a `file://` URI ending in `/`) makes every reference resolve to a local file:

    check-jsonschema --schemafile schemas/<file>.json --base-uri "file://$PWD/schemas/" payload.json

Each run of the tool takes about two seconds (Python start-up), so this runs it once per schema of
SCHEMAS (all at once), the ones whose references cross files the most, on every fixture of those schemas.

Usage: check_jsonschema_cli.py --schemas DIR --fixtures DIR --evolved accepted|refused
Prints one summary line; exits 1 on any disagreement, listing each one.
"""

import argparse
import json
import pathlib
import subprocess
import sys

import fixtures as fixture_set

# customer_request: phones, custom attributes and customer reference files; webhook_event: a oneOf
# of events carrying a message or a customer (itself referring to phones and custom attributes);
# invoice: local definitions and formats.
SCHEMAS = ("customer_request", "webhook_event", "invoice")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--evolved", choices=("accepted", "refused"), required=True)
    arguments = parser.parse_args()

    folder = pathlib.Path(arguments.schemas).resolve()
    tool = pathlib.Path(sys.executable).with_name("check-jsonschema")
    disagreements = []
    agreed = total = 0
    runs = []
    for stem in SCHEMAS:
        expected = {}
        for kind in fixture_set.KINDS:
            for fixture_stem, path in fixture_set.fixture_files(arguments.fixtures, kind):
                if fixture_stem == stem:
                    expected[str(path)] = fixture_set.expected_accepted(kind, arguments.evolved, path, arguments.fixtures)
        command = [
            str(tool),
            "--schemafile",
            str(folder / f"{stem}.json"),
            "--base-uri",
            folder.as_uri() + "/",
            "--output-format",
            "json",
            *expected,
        ]
        # Started together: each run is mostly Python start-up.
        runs.append((stem, expected, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    for stem, expected, process in runs:
        stdout, stderr = process.communicate()
        try:
            report = json.loads(stdout)
        except ValueError:
            raise SystemExit(f"check-jsonschema on {stem}.json gave no JSON report:\n{stdout}{stderr}")
        if report.get("parse_errors"):
            raise SystemExit(f"check-jsonschema on {stem}.json: {report['parse_errors']}")
        refused = {error["filename"] for error in report.get("errors", [])}
        for path, want in expected.items():
            total += 1
            accepted = path not in refused
            if accepted == want:
                agreed += 1
            else:
                where = fixture_set.shown(path, arguments.fixtures)
                verdict = "accepted, expected refused" if accepted else "refused, expected accepted"
                disagreements.append(f"  {where}: {verdict}")

    print(f"python check-jsonschema --base-uri: {agreed}/{total} fixtures of {', '.join(SCHEMAS)} as expected")
    if total == 0:
        disagreements.append(f"  no fixture of {', '.join(SCHEMAS)} under {arguments.fixtures}")
    return fixture_set.report(disagreements)


if __name__ == "__main__":
    sys.exit(main())
