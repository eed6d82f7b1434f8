#!/usr/bin/env python3
"""Count the answers of a schemathesis run, per phase and operation.

Reads the NDJSON event stream that `schemathesis run --report ndjson` writes
(run.sh writes it to REPORT_DIR when that is set) and prints, for each
phase and operation, how many requests got a 2xx, a 4xx and a 5xx, and the
share of 2xx. Only positive cases are counted unless --all-modes is given:
negative cases (invalid on purpose) are expected to be rejected.

With --by-link, stateful requests are also split by the link that produced
them (`RANDOM` for the first step of a sequence, generated from scratch).

Several reports (runs with different seeds) are added up.

Usage: statuses.py REPORT.ndjson... [--phase NAME] [--all-modes] [--by-link]
"""

import argparse
import collections
import json
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", help="the .ndjson files of `schemathesis run --report ndjson`")
    parser.add_argument("--phase", help="only this phase (examples, coverage, fuzzing, stateful)")
    parser.add_argument("--all-modes", action="store_true", help="count negative cases too")
    parser.add_argument("--by-link", action="store_true", help="split stateful requests by link")
    arguments = parser.parse_args()

    counts = collections.defaultdict(collections.Counter)
    for report in arguments.reports:
        try:
            with open(report, encoding="utf-8") as stream:
                for number, line in enumerate(stream, start=1):
                    try:
                        event = json.loads(line)
                    except json.JSONDecodeError as error:
                        sys.exit(f"{report}:{number}: not JSON ({error})")
                    try:
                        record(event.get("ScenarioFinished"), arguments, counts)
                    except (KeyError, TypeError, AttributeError) as error:
                        sys.exit(f"{report}:{number}: not a schemathesis ScenarioFinished event ({error!r})")
        except OSError as error:
            sys.exit(f"cannot read {report}: {error}")
    if not counts:
        sys.exit(f"{' '.join(arguments.reports)}: no request matches (phase {arguments.phase or 'any'})")
    print_table(counts)


def record(finished, arguments, counts):
    """Adds the answers of one finished scenario to `counts`."""
    if not finished or (arguments.phase and finished["phase"] != arguments.phase):
        return
    recorder = finished["recorder"]
    for case_id, interaction in recorder.get("interactions", {}).items():
        case = recorder["cases"][case_id]
        value = case["value"]
        mode = value.get("meta", {}).get("generation", {}).get("mode")
        if mode == "negative" and not arguments.all_modes:
            continue
        label = f"{value['method']} {value['path']}"
        if arguments.by_link and finished["phase"] == "stateful":
            transition = case.get("transition")
            label = f"{label} <- {link_name(transition)}"
        response = interaction.get("response")
        status = response["status_code"] if response else None
        counts[(finished["phase"], label)][status_class(status)] += 1


def link_name(transition):
    """`<source operation> <link name>` of a transition id (`GET /a -> [200] Name -> GET /b`)."""
    if not transition:
        return "RANDOM"
    source, link, _target = transition["id"].split(" -> ", 2)
    return f"{source} {link.split('] ', 1)[-1]}"


def status_class(status):
    if status is None:
        return "none"
    return f"{status // 100}xx"


def print_table(counts):
    header = f"{'phase':<9} {'operation':<80} {'total':>5} {'2xx':>5} {'4xx':>5} {'5xx':>5} {'2xx %':>6}"
    print(header)
    print("-" * len(header))
    for (phase, label), counter in sorted(counts.items()):
        total = sum(counter.values())
        success = counter["2xx"]
        print(
            f"{phase:<9} {label:<80} {total:>5} {success:>5} {counter['4xx']:>5} {counter['5xx']:>5}"
            f" {100 * success / total:>5.0f}%"
        )


if __name__ == "__main__":
    main()
