// Ajv 8 (draft 2020-12, strict mode, ajv-formats) gives the expected verdict on every fixture.
//
// Every schema file is added under its `$id` (Ajv never fetches a reference), with format
// validation on, exactly as schemas/README.md tells JavaScript users to do. Strict mode also
// fails on any keyword, format or type combination Ajv would otherwise ignore.
//
// Usage: node ajv-verdicts.mjs --schemas DIR --fixtures DIR --evolved accepted|refused
// Prints one summary line; exits 1 on any disagreement, listing each one.

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

import { KINDS, commandLine, expectedAccepted, fixtureFiles, readJson, schemaFiles, shown } from "./fixtures.mjs";

const options = commandLine();
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const ids = new Map();
for (const [stem, path] of schemaFiles(options.schemas)) {
  const schema = readJson(path);
  ajv.addSchema(schema);
  ids.set(stem, schema.$id);
}
const validators = new Map();
for (const [stem, id] of ids) {
  try {
    validators.set(stem, ajv.getSchema(id));
  } catch (error) {
    console.error(`${options.schemas}/${stem}.json does not compile in Ajv strict mode: ${error.message}`);
    process.exit(1);
  }
}

const counts = {};
const disagreements = [];
for (const kind of KINDS) {
  let agreed = 0;
  let total = 0;
  for (const [stem, path] of fixtureFiles(options.fixtures, kind)) {
    total += 1;
    const where = shown(path, options.fixtures);
    const validate = validators.get(stem);
    if (!validate) {
      disagreements.push(`  ${where}: no schema ${stem}.json`);
      continue;
    }
    const accepted = validate(readJson(path));
    const want = expectedAccepted(kind, options.evolved, path, options.fixtures);
    if (accepted === want) {
      agreed += 1;
    } else if (want) {
      const first = validate.errors[0];
      disagreements.push(`  ${where}: refused, expected accepted: at ${first.instancePath || "/"}: ${first.message}`);
    } else {
      disagreements.push(`  ${where}: accepted, expected refused`);
    }
  }
  counts[kind] = [agreed, total];
}

const [valid, invalid, evolved] = KINDS.map((kind) => counts[kind]);
console.log(
  `javascript ajv: ${valid[0]}/${valid[1]} valid accepted, ${invalid[0]}/${invalid[1]} invalid ` +
    `${process.env.KIMOBY_VERDICTS ? "judged as the Rust validator does" : "refused"}, ` +
    `${evolved[0]}/${evolved[1]} evolved ${options.evolved}`,
);
if (valid[1] === 0 || invalid[1] === 0) disagreements.push(`  no valid or no invalid fixture under ${options.fixtures}`);
if (disagreements.length > 0) {
  console.error(disagreements.join("\n"));
  process.exit(1);
}
