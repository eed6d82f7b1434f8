#!/usr/bin/env python3
"""Bundle schemas/openapi.json and the JSON Schemas it refers to into one file.

The manifest refers to the model schemas by relative file name
(`{"$ref": "customer.json"}`), and each schema declares an `$id` on the
reserved `https://kimoby-codegen.invalid/` host, against which a resolver
would resolve its own relative references and then try to fetch them. This
script inlines every schema file under `components/schemas/<file stem>`
(without `$id` and `$schema`) and rewrites every reference to a local JSON
pointer, so a tool such as schemathesis reads the whole contract offline.

Usage: bundle.py SCHEMAS_DIR > openapi.bundled.json
"""

import json
import pathlib
import sys

MANIFEST = "openapi.json"


def rewrite(node, current_stem):
    """Rewrites every `$ref` of `node` (inside the file `current_stem`, or the manifest when None)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = local_ref(value, current_stem)
            else:
                out[key] = rewrite(value, current_stem)
        return out
    if isinstance(node, list):
        return [rewrite(item, current_stem) for item in node]
    return node


def local_ref(ref, current_stem):
    file_part, _, pointer = ref.partition("#")
    if file_part:
        if not file_part.endswith(".json") or "/" in file_part:
            raise SystemExit(f"unexpected reference {ref!r}: only sibling file names are bundled")
        target = file_part[: -len(".json")]
    elif current_stem is None:
        return ref  # a pointer into the manifest itself
    else:
        target = current_stem
    return f"#/components/schemas/{target}{pointer}"


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    folder = pathlib.Path(sys.argv[1])
    manifest = json.loads((folder / MANIFEST).read_text())
    schemas = manifest.setdefault("components", {}).setdefault("schemas", {})
    for path in sorted(folder.glob("*.json")):
        if path.name == MANIFEST:
            continue
        schema = json.loads(path.read_text())
        schema.pop("$id", None)
        schema.pop("$schema", None)
        stem = path.name[: -len(".json")]
        if stem in schemas:
            raise SystemExit(f"components/schemas/{stem} already exists in the manifest")
        schemas[stem] = rewrite(schema, stem)
    bundled = rewrite({k: v for k, v in manifest.items() if k != "components"}, None)
    bundled["components"] = {
        k: (v if k == "schemas" else rewrite(v, None)) for k, v in manifest["components"].items()
    }
    json.dump(bundled, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
