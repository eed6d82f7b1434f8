#!/usr/bin/env python3
"""Bundle schemas/openapi.json and the JSON Schemas it refers to into one file.

The manifest refers to the model schemas by relative file name
(`{"$ref": "customer.json"}`), and each schema declares an `$id` on the
reserved `https://kimoby-codegen.invalid/` host, against which a resolver
would resolve its own relative references and then try to fetch them. This
script inlines every schema file under `components/schemas/<file stem>`
(without `$id` and `$schema`) and rewrites every reference to a local JSON
pointer, so a tool such as schemathesis reads the whole contract offline.

Two changes are for schemathesis's stateful phase only (see README.md):

- A link's `requestBody` is, in OpenAPI, the whole body of the target request.
  Schemathesis by default merges it into a generated body instead, keeping the
  generated `customer.reference` next to a linked `customer.id`, which then
  names another customer. Every link with a `requestBody` gets
  `"x-schemathesis": {"merge_body": false}`, the OpenAPI meaning.
- Schemathesis starts its sequences only from `POST` operations and lists, so
  it would never call `createCustomer` (a `PUT`) and follow its links.
  `ENTRY_LINKS` adds a link from `listCustomers` to `createCustomer` that also
  gives the generated customer a fresh cell phone number and keeps it
  subscribed, so that messages can be sent to it; it is no relationship of the
  API, hence not in the manifest.
- An operation with outgoing links becomes a place where sequences start, with
  random data. A random message names no existing customer, so with its links
  `sendMessage` was mostly a refused first call (5% of 2xx). `NOT_STARTS`
  removes the outgoing links of such operations from the bundle: they are then
  reached only through the links that lead to them, with a real customer.

Usage: bundle.py SCHEMAS_DIR > openapi.bundled.json
"""

import json
import pathlib
import sys

MANIFEST = "openapi.json"
SCHEMATHESIS_EXTENSION = "x-schemathesis"

# (path, method, status) -> links added to that response for schemathesis.
ENTRY_LINKS = {
    ("/customers", "get", "200"): {
        "CreateCustomer": {
            "operationId": "createCustomer",
            "description": "Test entry: create a customer after a list, so that sequences reach createCustomer.",
            # Merged into the generated customer: a subscribed one with a cell phone number,
            # so that messages can be sent to it. The listed count and page size make the
            # number unique, unless two creations follow the same list (then the second is
            # rejected: the number is taken).
            "requestBody": {
                "cell_phone_number": "+1555{$response.body#/pagination/items}0{$response.body#/pagination/per_page}",
                "is_unsubscribed": False,
            },
            SCHEMATHESIS_EXTENSION: {"merge_body": True},
        },
    },
}


# (path, method): operations whose outgoing links are dropped from the bundle, so
# that schemathesis never starts a sequence with them (see the docstring).
NOT_STARTS = [("/messages", "post")]


def drop_outgoing_links(manifest):
    """Removes the response links of every `NOT_STARTS` operation (a clear error if one is missing)."""
    for path, method in NOT_STARTS:
        try:
            responses = manifest["paths"][path][method]["responses"]
        except KeyError:
            raise SystemExit(f"{method.upper()} {path}: no such operation in the manifest")
        for response in responses.values():
            if isinstance(response, dict):
                response.pop("links", None)


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


def add_entry_links(manifest):
    """Adds `ENTRY_LINKS` to the responses of `manifest` (a clear error if one is missing)."""
    for (path, method, status), links in ENTRY_LINKS.items():
        try:
            response = manifest["paths"][path][method]["responses"][status]
        except KeyError:
            raise SystemExit(f"entry link source {method.upper()} {path} {status}: no such response in the manifest")
        existing = response.setdefault("links", {})
        for name, link in links.items():
            if name in existing:
                raise SystemExit(f"entry link {name!r}: {method.upper()} {path} {status} already has a link of that name")
            existing[name] = link


def send_link_bodies_whole(manifest):
    """Marks every link with a `requestBody` (in `components.links` or inline) as a whole body."""
    candidates = list(manifest.get("components", {}).get("links", {}).values())
    for path_item in manifest.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for response in operation.get("responses", {}).values():
                candidates.extend(response.get("links", {}).values())
    for link in candidates:
        if "requestBody" in link and "$ref" not in link:
            link.setdefault(SCHEMATHESIS_EXTENSION, {}).setdefault("merge_body", False)


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    folder = pathlib.Path(sys.argv[1])
    manifest = json.loads((folder / MANIFEST).read_text())
    add_entry_links(manifest)
    drop_outgoing_links(manifest)
    send_link_bodies_whole(manifest)
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
