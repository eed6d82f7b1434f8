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

export function expectedAccepted(kind, evolved) {
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
