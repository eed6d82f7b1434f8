// The schema folder and the fixtures, as every JavaScript check of tests/ecosystems/ reads them.
//
// A fixture `<fixtures>/<kind>/<schema stem>/<name>.json` is a payload for `<schemas>/<schema
// stem>.json`. `valid` fixtures must be accepted, `invalid` ones refused, and `evolved` ones (what a
// later server may send: a new field, a new enum value, a new webhook event) are refused by the
// strict profile and accepted by the tolerant one, as the runner's `--evolved` option says.

import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join, relative, basename } from "node:path";
import { parseArgs } from "node:util";

export const MANIFEST = "openapi.json";
export const KINDS = ["valid", "invalid", "evolved"];

export function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: cannot read JSON: ${error.message}`);
  }
}

/** Every JSON Schema of `folder` (not the OpenAPI manifest): [stem, path] pairs, sorted. */
export function schemaFiles(folder) {
  const files = readdirSync(folder)
    .filter((name) => name.endsWith(".json") && name !== MANIFEST)
    .sort()
    .map((name) => [basename(name, ".json"), join(folder, name)]);
  if (files.length === 0) throw new Error(`${folder}: no schema file`);
  return files;
}

/** [stem, path] of every `<fixtures>/<kind>/<stem>/*.json`, sorted; [] without such a folder. */
export function fixtureFiles(fixtures, kind) {
  const folder = join(fixtures, kind);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .sort()
    .filter((stem) => statSync(join(folder, stem)).isDirectory())
    .flatMap((stem) =>
      readdirSync(join(folder, stem))
        .filter((name) => name.endsWith(".json"))
        .sort()
        .map((name) => [stem, join(folder, stem, name)]),
    );
}

const verdictFiles = new Map();

/**
 * Whether a fixture of `kind` must be accepted. With `KIMOBY_VERDICTS` naming a file of the Rust
 * validator's verdicts (fixture path, as `shown` prints it, to whether it is accepted; written by
 * `tests/tests/ecosystem_verdicts.rs`), that verdict: every tool agrees with the Rust validator.
 */
export function expectedAccepted(kind, evolved, path, fixtures) {
  const file = process.env.KIMOBY_VERDICTS;
  if (file && path !== undefined) {
    if (!verdictFiles.has(file)) verdictFiles.set(file, readJson(file));
    const key = shown(path, fixtures);
    const verdict = verdictFiles.get(file)[key];
    if (typeof verdict !== "boolean") throw new Error(`${file}: no verdict for ${key}`);
    return verdict;
  }
  return { valid: true, invalid: false, evolved: evolved === "accepted" }[kind];
}

export function shown(path, fixtures) {
  return relative(fixtures, path);
}

/** `--schemas DIR --fixtures DIR [--evolved accepted|refused] [--work DIR]`. */
export function commandLine() {
  const { values } = parseArgs({
    options: {
      schemas: { type: "string" },
      fixtures: { type: "string" },
      evolved: { type: "string", default: "refused" },
      work: { type: "string" },
    },
  });
  if (!values.schemas || !values.fixtures || !["accepted", "refused"].includes(values.evolved)) {
    throw new Error("usage: --schemas DIR --fixtures DIR [--evolved accepted|refused] [--work DIR]");
  }
  return values;
}
