"""The shared part of the Python drivers of the generator client suite.

Reads `scenario.json` (the ordered calls every driver makes), runs each step
through the operation the driver implements for it, checks the status the mock
answered and that the answer was read into the expected generated type, and
prints one line per generator and mode (`openapi-python-client, strict:
28/28 operations, 12/12 look-ups`), then one line per failing step. Reasons
name the exception type and where it was raised, the HTTP status and the field
of the mock's error, never a value of a request or response body.

A driver calls `run(generator, call, answer_type, options)`: `call(step,
path_id, body)` makes the step's call through the generated client (`path_id`
is the saved id the step names, `body` the JSON of its request body) and
returns `(status, answer)`; `answer_type(name)` is the generated class of the
schema `name` of the bundled manifest. The answer's `id` is saved when the
step says `saves`.
"""

import argparse
import json
import pathlib
import sys
import traceback

# The id sent in place of one whose create failed: such a step is reported, not called.
NOT_CREATED = "not-created"
SCENARIO = pathlib.Path(__file__).resolve().parent.parent / "scenario.json"


class UnexpectedAnswer(Exception):
    """A call answered, but not as documented: `reason` says how, without body values."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def load():
    """The scenario: its `values` and its `steps`."""
    return json.loads(SCENARIO.read_text())


def arguments():
    """The command line every Python driver takes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--client", required=True, help="folder holding the generated client package")
    parser.add_argument("--base-url", required=True, help="kimoby-mock's base URL, ending in /v1")
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--api-secret", required=True)
    parser.add_argument(
        "--manifest", required=True, help="the bundled manifest the client was generated from"
    )
    parser.add_argument("--mode", required=True, help="strict or tolerant, for the summary line")
    options = parser.parse_args()
    options.values = load()["values"]
    return options


def error_field(body):
    """The field an error body of the mock names (the text before its first colon), or `-`."""
    try:
        message = json.loads(body).get("message", "")
    except (ValueError, AttributeError):
        return "-"
    field = message.split(":", 1)[0] if ":" in message else ""
    # A field name only: anything with a space is prose that may quote a value.
    return field if field and " " not in field else "-"


def describe(error):
    """The exception type and the generated file, line and function where it was raised."""
    if isinstance(error, UnexpectedAnswer):
        return error.reason
    frames = traceback.extract_tb(error.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        where = f" at {pathlib.Path(last.filename).name}:{last.lineno} in {last.name}"
    detail = ""
    errors = getattr(error, "errors", None)
    if callable(errors):
        # pydantic's ValidationError: the location and kind of each error, never the input.
        try:
            detail = "; ".join(
                f"{'.'.join(str(part) for part in item['loc'])}: {item['type']}" for item in errors()
            )
        except (TypeError, KeyError):
            detail = ""
    status = getattr(error, "status", None) or getattr(error, "status_code", None)
    if status is not None:
        # openapi-generator's ApiException (`status`, `body`), openapi-python-client's
        # UnexpectedStatus (`status_code`, `content`).
        body = getattr(error, "body", None) or getattr(error, "content", b"")
        detail = f"HTTP {status} (field {error_field(body)})" + (f"; {detail}" if detail else "")
    return f"{type(error).__name__}{where}" + (f": {detail}" if detail else "")


def run(generator, call, answer_type, options):
    """Run every step of the scenario; print the summary; return the exit code."""
    scenario = load()
    values = scenario["values"]
    schemas = json.loads(pathlib.Path(options.manifest).read_text())["components"]["schemas"]
    saved = {}
    failures = []
    failed_operations = set()
    operations = {}
    for step in scenario["steps"]:
        operation = step["operation"]
        operations[operation] = step.get("lookup", False)
        try:
            path_id = saved.get(step["id"], NOT_CREATED) if "id" in step else None
            body = bodies(values, saved)[step["body"]] if "body" in step else None
            if path_id == NOT_CREATED or NOT_CREATED in json.dumps(body):
                raise UnexpectedAnswer("not called: a record it needs was not created")
            status, answer = call(step, path_id, body)
            if status != step["status"]:
                # An error answer read into the generated error model names its field in `message`.
                message = getattr(answer, "message", None)
                field = error_field(json.dumps({"message": message})) if isinstance(message, str) else "-"
                raise UnexpectedAnswer(f"HTTP {status} (field {field}), documented {step['status']}")
            expected = step["answer"]
            if expected is None:
                if answer not in (None, b"", ""):
                    raise UnexpectedAnswer("a body where none is documented")
            else:
                check_answer(answer, expected, answer_type, schemas)
            if path_id is not None and getattr(answer, "id", path_id) != path_id:
                raise UnexpectedAnswer("the answer is another record than the one the path names")
            if "saves" in step:
                saved[step["saves"]] = answer.id
        except Exception as error:  # noqa: BLE001 (every failure is reported, none stops the scenario)
            failures.append((step, describe(error)))
            failed_operations.add(operation)
    plain = [name for name, lookup in operations.items() if not lookup]
    lookups = [name for name, lookup in operations.items() if lookup]
    passed = len([name for name in plain if name not in failed_operations])
    passed_lookups = len([name for name in lookups if name not in failed_operations])
    print(
        f"{generator}, {options.mode}: {passed}/{len(plain)} operations, "
        f"{passed_lookups}/{len(lookups)} look-ups"
    )
    for step, reason in failures:
        print(f"    {step['operation']} ({step['name']}): {reason}")
    sys.stdout.flush()
    return 0 if not failures else 1


def check_answer(answer, schema_name, answer_type, schemas):
    """The answer is the generated class of the schema (a list of the items' class for an array)."""
    schema = schemas[schema_name]
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        item_name = schema["items"]["$ref"].rsplit("/", 1)[1]
        generated = answer_type(item_name)
        if not isinstance(answer, list) or not all(isinstance(item, generated) for item in answer):
            raise UnexpectedAnswer(
                f"answer read as {type(answer).__name__}, not a list of the generated {generated.__name__}"
            )
        return
    generated = answer_type(schema_name)
    if not isinstance(answer, generated):
        raise UnexpectedAnswer(
            f"answer read as {type(answer).__name__}, not the generated {generated.__name__}"
        )


def schema_titles(manifest):
    """The `title` of each schema of the bundled manifest's `components/schemas`, by name."""
    schemas = json.loads(pathlib.Path(manifest).read_text())["components"]["schemas"]
    return {name: schema.get("title", name) for name, schema in schemas.items()}


def snake_case(name):
    """`retrieveCustomerByReference` -> `retrieve_customer_by_reference`."""
    return "".join(f"_{letter.lower()}" if letter.isupper() else letter for letter in name).lstrip("_")


def lookup_parameter(operation):
    """The look-up parameter of an operation named `...By<Parameter>`, in snake case, or None."""
    if "By" not in operation:
        return None
    return snake_case(operation.rsplit("By", 1)[1])


def bodies(values, saved):
    """The request bodies of the scenario, as JSON values (each driver reads them into its types)."""
    customer = {"id": saved.get("customer", NOT_CREATED)}
    return {
        "customer": {
            "name": "Jane Doe",
            "reference": values["customer_reference"],
            "cell_phone_number": values["customer_cell_phone_number"],
            "email": values["customer_email"],
            "custom_attributes": {
                "vehicle_year": "2012",
                "visit_date": "2026-12-01T10:00:00Z",
                "services_array": ["oil change", "tires"],
            },
        },
        "customer_update": {"name": "Jane Roe", "city": "Quebec"},
        "second_customer": {"name": "John Doe", "reference": values["second_customer_reference"]},
        "third_customer": {"name": "Jim Doe", "reference": values["third_customer_reference"]},
        "appointment": {
            "reference": values["appointment_reference"],
            "start_at": "2026-12-24T15:00:00Z",
            "customer": customer,
            "custom_attributes": {"bay_array": ["2", "3"]},
        },
        "appointment_update": {
            "start_at": "2026-12-24T16:00:00Z",
            "status": "confirmed",
            "customer": customer,
        },
        "second_appointment": {
            "reference": values["second_appointment_reference"],
            "start_at": "2026-12-26T09:00:00Z",
            "customer": customer,
        },
        "event": {
            "reference": values["event_reference"],
            "name": "Oil change",
            "happened_at": "2026-12-02T09:30:00Z",
            "customer": customer,
        },
        "event_update": {"name": "Tire change", "happened_at": "2026-12-02T10:30:00Z", "customer": customer},
        "second_event": {
            "reference": values["second_event_reference"],
            "name": "Inspection",
            "happened_at": "2026-12-03T09:30:00Z",
            "customer": customer,
        },
        "message": {"customer": customer, "body": "Your car is ready."},
        "invoice": {"reference": values["invoice_reference"], "total_price": 10000, "customer": customer},
        "webhook": {"url": values["webhook_url"]},
        "webhook_update": {"url": values["updated_webhook_url"]},
    }


# The bytes of a one-pixel PNG: the uploaded document.
DOCUMENT = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
