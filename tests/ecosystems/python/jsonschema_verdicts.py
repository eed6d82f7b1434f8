#!/usr/bin/env python3
"""Python `jsonschema` + `referencing` give the expected verdict on every fixture.

Every schema file is registered under its `$id` in an offline `referencing.Registry` (a
reference the registry does not hold fails instead of being fetched), and validated with
format checking on, exactly as schemas/README.md tells Python users to do.

Usage: jsonschema_verdicts.py --schemas DIR --fixtures DIR --evolved accepted|refused
Prints one summary line; exits 1 on any disagreement, listing each one.
"""

import argparse
import os
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

import fixtures as fixture_set


def refuse_retrieval(uri):
    raise NoSuchResource(ref=uri)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--fixtures", required=True)
    parser.add_argument("--evolved", choices=("accepted", "refused"), required=True)
    arguments = parser.parse_args()

    schemas = {stem: fixture_set.read_json(path) for stem, path in fixture_set.schema_files(arguments.schemas).items()}
    registry = Registry(retrieve=refuse_retrieval).with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    validators = {}
    for stem, schema in schemas.items():
        Draft202012Validator.check_schema(schema)
        validators[stem] = Draft202012Validator(
            schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )

    counts = {}
    disagreements = []
    for kind in fixture_set.KINDS:
        agreed = total = 0
        for stem, path in fixture_set.fixture_files(arguments.fixtures, kind):
            total += 1
            if stem not in validators:
                disagreements.append(f"  {fixture_set.shown(path, arguments.fixtures)}: no schema {stem}.json")
                continue
            errors = list(validators[stem].iter_errors(fixture_set.read_json(path)))
            want = fixture_set.expected_accepted(kind, arguments.evolved, path, arguments.fixtures)
            if (not errors) == want:
                agreed += 1
                continue
            where = fixture_set.shown(path, arguments.fixtures)
            if want:
                first = errors[0]
                pointer = "/" + "/".join(map(str, first.absolute_path))
                disagreements.append(f"  {where}: refused, expected accepted: at {pointer}: {first.message}")
            else:
                disagreements.append(f"  {where}: accepted, expected refused")
        counts[kind] = (agreed, total)

    verdict = "accepted" if arguments.evolved == "accepted" else "refused"
    valid, invalid, evolved = (counts[kind] for kind in fixture_set.KINDS)
    print(
        f"python jsonschema: {valid[0]}/{valid[1]} valid accepted, {invalid[0]}/{invalid[1]} invalid "
        f"{'judged as the Rust validator does' if os.environ.get('KIMOBY_VERDICTS') else 'refused'}, "
        f"{evolved[0]}/{evolved[1]} evolved {verdict}"
    )
    if valid[1] == 0 or invalid[1] == 0:
        disagreements.append(f"  no valid or no invalid fixture under {arguments.fixtures}")
    return fixture_set.report(disagreements)


if __name__ == "__main__":
    sys.exit(main())
