"""Drives kimoby-mock through the scenario with the client openapi-generator `python` generated.

The client is the package `kimoby_client` in the folder given by `--client`
(`openapi-generator-cli generate -g python -i <bundled manifest> -o <folder>
--package-name kimoby_client`). Each call goes through the generated API
class method of its operation (`<operation in snake case>_with_http_info`, on
whichever `*Api` class has it), each request body is read into the generated
model its body parameter is typed with (through the constructors, see `build`:
`from_dict` would send `null` for every absent nullable field, which clears it), and each answer is the
model the client deserialized (`ApiResponse.data`), which must be the generated
class named after the schema's name in `components/schemas` (`CustomerList`).
A status the manifest lists as an error is raised by the client
(`ApiException`) and reported with its status. See scenario.py for the checks
and the report.
"""

import importlib
import inspect
import sys
import types
import typing

import scenario


def build(annotation, value):
    """`value` (JSON) read into the generated type `annotation` as a user writes it: a model
    through its constructor with only the given fields (so absent fields stay unset), a `oneOf`
    wrapper (a model with `actual_instance`) through its `from_dict`."""
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        return build(arguments[0], value)
    if origin is typing.Union or origin is types.UnionType:
        if value is None:
            return None
        others = [argument for argument in arguments if argument is not type(None)]
        return build(others[0], value) if len(others) == 1 else value
    if origin is dict and isinstance(value, dict):
        return {key: build(arguments[1], item) for key, item in value.items()}
    if origin is list and isinstance(value, list):
        return [build(arguments[0], item) for item in value]
    if inspect.isclass(annotation) and hasattr(annotation, "model_fields"):
        if "actual_instance" in annotation.model_fields:
            return annotation.from_dict(value)
        hints = typing.get_type_hints(annotation)
        return annotation(**{key: build(hints[key], item) for key, item in value.items()})
    return value


def camel_case(name):
    """`webhook_with_authentication_key` -> `WebhookWithAuthenticationKey`."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def main():
    options = scenario.arguments()
    sys.path.insert(0, options.client)
    package = importlib.import_module("kimoby_client")
    configuration = package.Configuration(
        host=options.base_url, username=options.api_key, password=options.api_secret
    )
    api_client = package.ApiClient(configuration)
    api_classes = [
        value for name, value in vars(package).items() if name.endswith("Api") and inspect.isclass(value)
    ]
    apis = [api_class(api_client) for api_class in api_classes]

    def method_of(operation):
        name = f"{scenario.snake_case(operation)}_with_http_info"
        for api in apis:
            if hasattr(api, name):
                return getattr(api, name)
        raise scenario.UnexpectedAnswer(f"no method {name} generated for {operation}")

    def call(step, path_id, body):
        method = method_of(step["operation"])
        hints = typing.get_type_hints(method)
        arguments = {}
        if path_id is not None:
            arguments["id"] = path_id
        lookup = scenario.lookup_parameter(step["operation"])
        if lookup is not None:
            arguments[lookup] = options.values[step["value"]]
        body_parameters = [
            name
            for name in inspect.signature(method).parameters
            if name not in arguments and not name.startswith("_")
        ]
        if step["operation"] == "uploadDocument":
            arguments["file"] = (options.values["document_file_name"], scenario.DOCUMENT)
        elif body is not None:
            if len(body_parameters) != 1:
                raise scenario.UnexpectedAnswer(f"{len(body_parameters)} body parameters generated, not 1")
            name = body_parameters[0]
            # Not `from_dict`: it marks every field as set, so the request would carry `null`
            # for each absent nullable field, which clears it.
            arguments[name] = build(hints[name], body)
        response = method(**arguments)
        return int(response.status_code), response.data

    def answer_type(schema):
        return getattr(package, camel_case(schema))

    return scenario.run("openapi-generator python", call, answer_type, options)


if __name__ == "__main__":
    sys.exit(main())
