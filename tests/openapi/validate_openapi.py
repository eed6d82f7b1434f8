#!/usr/bin/env python3
"""Check that schemas/openapi.json is a valid OpenAPI 3.1 manifest, fully offline.

Run from anywhere: `python3 tests/openapi/validate_openapi.py [path/to/openapi.json]`.
Exit status: 0 valid, 1 invalid (every problem is printed with its location),
3 a Python dependency is missing (`pip install -r tests/openapi/requirements.txt`).

What it checks:
1. openapi-spec-validator (pinned in requirements.txt) accepts the document as
   OpenAPI 3.1, following every `$ref` into the model files of schemas/.
   The model files carry `$id`s on the reserved https://kimoby-codegen.invalid/
   host, so refs inside them resolve to that host: the resolver handlers below
   serve those URIs (and file:// URIs) from the schemas folder, refuse any other
   URI, and sockets are disabled so nothing can ever be fetched.
2. Every `$ref` to a file, in openapi.json and transitively in the files it
   references, resolves to a file of the folder (fragments included).
3. The operations of `paths` are exactly the 28 expected operationIds, each
   once; top-level `webhooks` use other operationIds.
4. Every operation answers 401, 429 and 5XX.
5. The `x-kimoby-*` extensions of every operation are valid against their
   JSON Schema, kimoby-contract/extensions.schema.json.
6. Every response link (see schemas/README.md) targets an operationId of
   `paths`, names parameters the target has (`path.id`, `query.customer_id`),
   sends as `requestBody` a whole body of the target (its required properties,
   no unknown one), and reads with `$response.body#/...` only pointers that
   exist in the source response's schema; every `components.links` entry is used.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

REQUIREMENTS = "tests/openapi/requirements.txt"
EXIT_INVALID = 1
EXIT_MISSING_DEPENDENCY = 3

try:
    from importlib.metadata import version as dist_version

    from jsonschema_path import SchemaPath
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
    from openapi_spec_validator.validation import keywords as oas_keywords
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012
    from jsonschema import Draft202012Validator
except ImportError as exc:  # pragma: no cover - exercised by the Rust test
    print(
        f"missing Python module ({exc}); install the validator with:\n"
        f"    pip install -r {REQUIREMENTS}",
        flush=True,
    )
    sys.exit(EXIT_MISSING_DEPENDENCY)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MANIFEST = ROOT / "schemas" / "openapi.json"
# The one definition of the x-kimoby-* extensions (kimoby-contract reads the same file).
EXTENSIONS_SCHEMA = ROOT / "kimoby-contract" / "extensions.schema.json"
# Host reserved for the schemas' `$id`s: it must never be fetched.
ID_PREFIX = "https://kimoby-codegen.invalid/schemas/"

EXPECTED_OPERATION_IDS = {
    "createCustomer", "updateCustomer", "retrieveCustomer", "deleteCustomer", "listCustomers",
    "createAppointment", "updateAppointment", "retrieveAppointment", "deleteAppointment", "listAppointments",
    "createEvent", "updateEvent", "retrieveEvent", "deleteEvent", "listEvents",
    "sendMessage", "listMessages", "retrieveMessage",
    "createInvoice", "retrieveInvoice", "listInvoices",
    "uploadDocument", "retrieveDocument", "deleteDocument",
    "createWebhook", "listWebhooks", "updateWebhook", "deleteWebhook",
}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REQUIRED_RESPONSES = ("401", "429", "5XX")


# --------------------------------------------------------------------------
# Offline resolution: every URI is served from the schemas folder or refused.
# --------------------------------------------------------------------------

def _no_network(*_args, **_kwargs):
    raise RuntimeError("network access attempted while validating the manifest (must stay offline)")


socket.socket.connect = _no_network  # type: ignore[method-assign]
socket.socket.connect_ex = _no_network  # type: ignore[method-assign]
socket.create_connection = _no_network  # type: ignore[assignment]
socket.getaddrinfo = _no_network  # type: ignore[assignment]


class FolderLoader:
    """Maps `file://<folder>/X` and `https://kimoby-codegen.invalid/schemas/X` to `<folder>/X`."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()
        self.cache: dict[Path, object] = {}

    def path_for(self, uri: str) -> Path:
        uri, _ = urldefrag(uri)
        if uri.startswith(ID_PREFIX):
            relative = uri[len(ID_PREFIX):]
            path = (self.folder / relative).resolve()
        elif urlsplit(uri).scheme == "file":
            path = Path(url2pathname(urlsplit(uri).path)).resolve()
        else:
            raise LookupError(f"refusing to fetch {uri!r}: only {ID_PREFIX}* and files of {self.folder} are served")
        if path.parent != self.folder:
            raise LookupError(f"{uri!r} points outside {self.folder}")
        if not path.is_file():
            raise LookupError(f"{uri!r}: no such file {path}")
        return path

    def load(self, uri: str) -> object:
        path = self.path_for(uri)
        if path not in self.cache:
            with path.open(encoding="utf-8") as f:
                self.cache[path] = json.load(f)
        return self.cache[path]

    # jsonschema-path resolver handler: handler(uri) -> parsed document.
    def __call__(self, uri: str) -> object:
        return self.load(uri)


# --------------------------------------------------------------------------
# openapi-spec-validator, with the location of each error.
# --------------------------------------------------------------------------

def pointer(parts) -> str:
    """JSON pointer of a sequence of keys: ("paths", "/customers") -> "#/paths/~1customers"."""
    return "#" + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def root_cause(exc: BaseException) -> BaseException:
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return exc


def _located(cls):
    """Subclass a keyword validator so that its errors remember where they were found.

    An unresolvable `$ref` makes the validator raise instead of yielding an error:
    it is turned into an error at the innermost location, and validation goes on
    with the rest of the document.
    """

    class Located(cls):  # type: ignore[valid-type, misc]
        def __call__(self, *args, **kwargs):
            where = next((a for a in args if isinstance(a, SchemaPath)), None)
            location = pointer(where.parts) if where is not None else None
            try:
                for err in super().__call__(*args, **kwargs):
                    if not isinstance(err, OpenAPIValidationError):
                        # the validator re-wraps other errors, which would drop the location
                        err = OpenAPIValidationError.create_from(err)
                    if location is not None and getattr(err, "kimoby_location", None) is None:
                        err.kimoby_location = location
                    yield err
            except (Unresolvable, LookupError, OSError, ValueError) as exc:
                err = OpenAPIValidationError(f"cannot resolve a $ref: {root_cause(exc)!r}")
                err.kimoby_location = location
                yield err

    Located.__name__ = Located.__qualname__ = cls.__name__
    return Located


class LocatedOpenAPIV31SpecValidator(OpenAPIV31SpecValidator):
    keyword_validators = {k: _located(v) for k, v in OpenAPIV31SpecValidator.keyword_validators.items()}


def describe(err) -> str:
    location = getattr(err, "kimoby_location", None)
    inner = list(getattr(err, "absolute_path", []))
    message = getattr(err, "message", None) or str(err)
    if location is None:
        # errors of the OpenAPI 3.1 meta-schema: their path is in the document
        return f"at {pointer(inner) if inner else '(document root)'}: {message}"
    if inner:
        # errors of a schema or value found at `location`: their path is inside it
        return f"at {location} (inside it: {pointer(inner)}): {message}"
    return f"at {location}: {message}"


def run_validator(spec: dict, manifest: Path, loader: FolderLoader) -> list[str]:
    handlers = {"file": loader, "https": loader, "http": loader}
    path = SchemaPath.from_dict(spec, base_uri=manifest.resolve().as_uri(), handlers=handlers)
    try:
        return [describe(err) for err in LocatedOpenAPIV31SpecValidator(path).iter_errors()]
    except Exception as exc:  # noqa: BLE001 - anything left is reported, not raised
        return [f"validator aborted: {type(exc).__name__}: {root_cause(exc)!r}"]


# --------------------------------------------------------------------------
# Project checks.
# --------------------------------------------------------------------------

def iter_refs(node, parts=(), base=""):
    """Yield (json pointer, base URI, $ref) for every `$ref`, honouring nested `$id`s."""
    if isinstance(node, dict):
        if isinstance(node.get("$id"), str):
            base = urljoin(base, node["$id"])
        if isinstance(node.get("$ref"), str):
            yield pointer(parts), base, node["$ref"]
        for key, value in node.items():
            yield from iter_refs(value, (*parts, key), base)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from iter_refs(value, (*parts, index), base)


def check_refs(spec: dict, manifest: Path, loader: FolderLoader) -> list[str]:
    """Every file `$ref` exists, and every `$ref` of the referenced files resolves from the folder."""
    problems = []

    def retrieve(uri: str):
        try:
            return Resource.from_contents(loader.load(uri), default_specification=DRAFT202012)
        except (LookupError, ValueError) as exc:
            raise Unresolvable(ref=uri) from exc

    registry = Registry(retrieve=retrieve)
    manifest_uri = manifest.resolve().as_uri()
    queue = [(manifest_uri, spec)]
    seen = {manifest_uri}
    while queue:
        doc_uri, doc = queue.pop()
        name = Path(url2pathname(urlsplit(doc_uri).path)).name
        for where, base, ref in iter_refs(doc, base=doc_uri):
            target_uri = urljoin(base, ref)
            if doc is spec and not ref.startswith("#"):
                file_part = urldefrag(ref)[0]
                if not (loader.folder / file_part).is_file():
                    problems.append(f"{name}{where}: $ref {ref!r}: file {file_part} does not exist in {loader.folder}")
                    continue
            try:
                registry.resolver(base_uri=base).lookup(ref)
            except Exception as exc:  # noqa: BLE001 - report any resolution failure
                problems.append(f"{name}{where}: $ref {ref!r} (base {base}) does not resolve: {root_cause(exc)!r}")
                continue
            try:
                target_file = loader.path_for(target_uri)
            except LookupError:
                continue  # a fragment of the current document, or already reported
            target_file_uri = target_file.as_uri()
            if target_file_uri not in seen:
                seen.add(target_file_uri)
                queue.append((target_file_uri, loader.load(target_file_uri)))
    return problems


def iter_operations(spec: dict, section: str = "paths"):
    for path, item in (spec.get(section) or {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def resolve_local(spec: dict, node):
    """Follow a `#/...` Reference Object inside the manifest (one level is enough here)."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target
    return node


def check_operations(spec: dict) -> list[str]:
    problems = []
    found: dict[str, list[str]] = {}
    for path, method, operation in iter_operations(spec):
        where = pointer(("paths", path, method))
        op_id = operation.get("operationId")
        found.setdefault(op_id, []).append(where)
        responses = operation.get("responses", {})
        missing = [code for code in REQUIRED_RESPONSES if code not in responses]
        if missing:
            problems.append(f"{where} ({op_id}): missing responses {missing}")
    for op_id, wheres in found.items():
        if len(wheres) > 1:
            problems.append(f"operationId {op_id!r} used {len(wheres)} times: {wheres}")
    if set(found) != EXPECTED_OPERATION_IDS:
        missing = sorted(EXPECTED_OPERATION_IDS - set(found), key=str)
        extra = sorted(set(found) - EXPECTED_OPERATION_IDS, key=str)
        problems.append(f"paths: operationIds differ from the expected 28: missing {missing}, unexpected {extra}")
    for name, method, operation in iter_operations(spec, "webhooks"):
        op_id = operation.get("operationId")
        if op_id in found or op_id in EXPECTED_OPERATION_IDS:
            problems.append(f"{pointer(('webhooks', name, method))}: operationId {op_id!r} collides with a paths operation")
    return problems


def check_extensions(spec: dict) -> list[str]:
    """Every operation's x-kimoby-* extensions against their one definition,
    kimoby-contract/extensions.schema.json (which keys an operation may have,
    and the shape of each value). What a schema cannot see, such as a page
    parameter the operation lacks, is refused by the contract model when the
    generator or the mock reads the manifest."""
    validator = Draft202012Validator(json.loads(EXTENSIONS_SCHEMA.read_text(encoding="utf-8")))
    problems = []
    for section in ("paths", "webhooks"):
        for path, method, operation in iter_operations(spec, section):
            errors = sorted(validator.iter_errors(operation), key=lambda error: [str(p) for p in error.absolute_path])
            for error in errors:
                problems.append(f"{pointer((section, path, method, *error.absolute_path))}: {error.message}")
    return problems


# --------------------------------------------------------------------------
# Links.
# --------------------------------------------------------------------------

LINK_PREFIX = "#/components/links/"
RESPONSE_BODY_EXPRESSION = "$response.body#"
OTHER_EXPRESSION_PREFIXES = ("$url", "$method", "$statusCode", "$request.", "$response.header.")


class SchemaWalker:
    """Follows `$ref`s of the schema files (file names and `#/$defs/...`) from a manifest schema."""

    def __init__(self, loader: FolderLoader):
        self.loader = loader

    def resolve(self, schema, file: str | None):
        """(schema, file) with `$ref`s followed; `file` is the schema file the schema is in (None: the manifest)."""
        for _ in range(16):
            if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
                return schema, file
            file_part, _, fragment = schema["$ref"].partition("#")
            if file_part:
                file = file_part
            document = self.loader.load(ID_PREFIX + file) if file else {}
            schema = document
            for part in [p for p in fragment.split("/") if p]:
                schema = schema[part.replace("~1", "/").replace("~0", "~")]
        raise LookupError("reference chain too long")

    def child(self, schema, file, key: str):
        """The schema of property (or array index) `key`, or None when the schema has no such child."""
        schema, file = self.resolve(schema, file)
        if not isinstance(schema, dict):
            return None, file
        if key.isdigit() and "items" in schema:
            return schema["items"], file
        properties = schema.get("properties", {})
        if key in properties:
            return properties[key], file
        return None, file


def json_body_schema(spec: dict, operation: dict):
    body = resolve_local(spec, operation.get("requestBody") or {})
    return body.get("content", {}).get("application/json", {}).get("schema")


def operation_parameters(spec: dict, path_item: dict, operation: dict) -> set[tuple[str, str]]:
    found = set()
    for parameter in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
        parameter = resolve_local(spec, parameter)
        found.add((parameter.get("in"), parameter.get("name")))
    return found


def check_expression(value, response_schema, walker: SchemaWalker, where: str) -> list[str]:
    """A runtime expression (or a constant, or a template holding some) readable from the response."""
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in check_expression(item, response_schema, walker, f"{where}/{key}")]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in check_expression(item, response_schema, walker, f"{where}/{index}")]
    if not isinstance(value, str) or not value.startswith("$"):
        return []
    if value.startswith(RESPONSE_BODY_EXPRESSION):
        if response_schema is None:
            return [f"{where}: {value!r} reads the response body, but the source response has no JSON body"]
        schema, file = response_schema, None
        for part in [p for p in value[len(RESPONSE_BODY_EXPRESSION):].split("/") if p]:
            schema, file = walker.child(schema, file, part)
            if schema is None:
                return [f"{where}: {value!r}: the source response schema has no {part!r} there"]
        return []
    if value.startswith(OTHER_EXPRESSION_PREFIXES):
        return []
    return [f"{where}: {value!r} is not a runtime expression this check knows"]


def check_body_template(template, schema, file, walker: SchemaWalker, where: str) -> list[str]:
    """Every property of `template` exists in `schema`, and every required property is given."""
    schema, file = walker.resolve(schema, file)
    if not isinstance(template, dict) or not isinstance(schema, dict) or "properties" not in schema:
        return []
    problems = []
    for key, value in template.items():
        child, child_file = walker.child(schema, file, key)
        if child is None:
            problems.append(f"{where}: the target body has no property {key!r}")
        else:
            problems.extend(check_body_template(value, child, child_file, walker, f"{where}/{key}"))
    missing = [key for key in schema.get("required", []) if key not in template]
    if missing:
        problems.append(f"{where}: a link's requestBody is the whole body, but it lacks the required {missing}")
    return problems


def check_links(spec: dict, loader: FolderLoader) -> list[str]:
    problems = []
    walker = SchemaWalker(loader)
    targets = {}
    for path, method, operation in iter_operations(spec):
        targets[operation.get("operationId")] = (spec["paths"][path], operation)
    components = spec.get("components", {}).get("links", {})
    used = set()
    for path, method, operation in iter_operations(spec):
        for status, response in operation.get("responses", {}).items():
            response = resolve_local(spec, response)
            response_schema = response.get("content", {}).get("application/json", {}).get("schema")
            for name, link in (response.get("links") or {}).items():
                where = pointer(("paths", path, method, "responses", status, "links", name))
                reference = link.get("$ref")
                if reference is not None:
                    target_name = reference[len(LINK_PREFIX):] if reference.startswith(LINK_PREFIX) else None
                    if target_name not in components:
                        problems.append(f"{where}: $ref {reference!r} is not an entry of components.links")
                        continue
                    used.add(target_name)
                    where = f"{where} ({reference})"
                    link = components[target_name]
                problems.extend(check_link(spec, link, targets, response_schema, walker, where))
    for name in components:
        if name not in used:
            problems.append(f"{pointer(('components', 'links', name))}: no response uses this link")
    return problems


def check_link(spec: dict, link: dict, targets: dict, response_schema, walker: SchemaWalker, where: str) -> list[str]:
    operation_id = link.get("operationId")
    if operation_id not in targets:
        return [f"{where}: operationId {operation_id!r} is not an operation of paths"]
    path_item, target = targets[operation_id]
    known = operation_parameters(spec, path_item, target)
    problems = []
    for key, value in (link.get("parameters") or {}).items():
        location, _, name = key.rpartition(".")
        if (location, name) not in known:
            problems.append(f"{where}: parameter {key!r}: {operation_id} has no {location or '?'} parameter {name!r}")
        problems.extend(check_expression(value, response_schema, walker, f"{where}/parameters/{key}"))
    if "requestBody" in link:
        body_schema = json_body_schema(spec, target)
        if body_schema is None:
            problems.append(f"{where}: requestBody given, but {operation_id} takes no JSON body")
        else:
            template = link["requestBody"]
            problems.extend(check_body_template(template, body_schema, None, walker, f"{where}/requestBody"))
            problems.extend(check_expression(template, response_schema, walker, f"{where}/requestBody"))
    return problems


def main(argv: list[str]) -> int:
    manifest = Path(argv[1]) if len(argv) > 1 else DEFAULT_MANIFEST
    try:
        with manifest.open(encoding="utf-8") as f:
            spec = json.load(f)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"FAIL {manifest}: cannot read the manifest: {exc}")
        return EXIT_INVALID
    if spec.get("openapi") != "3.1.0":
        print(f"FAIL {manifest}: `openapi` is {spec.get('openapi')!r}, expected '3.1.0'")
        return EXIT_INVALID

    loader = FolderLoader(manifest.resolve().parent)
    sections = [
        (f"openapi-spec-validator {dist_version('openapi-spec-validator')} (OpenAPI 3.1)", run_validator(spec, manifest, loader)),
        ("$ref resolution from the schemas folder", check_refs(spec, manifest, loader)),
        ("operations", check_operations(spec)),
        ("x-kimoby-* extensions", check_extensions(spec)),
        ("links", check_links(spec, loader)),
    ]
    failed = False
    for title, problems in sections:
        if problems:
            failed = True
            print(f"FAIL {title}: {len(problems)} problem(s) in {manifest}")
            for problem in problems:
                print(f"  - {problem}")
        else:
            print(f"ok   {title}")
    if failed:
        return EXIT_INVALID
    files = sorted(p.name for p in loader.cache)
    print(f"{manifest} is valid: {len(EXPECTED_OPERATION_IDS)} operations, {len(files)} schema files resolved offline")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
