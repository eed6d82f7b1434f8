"""Drives kimoby-mock through the scenario with the client openapi-python-client generated.

The client is the package `kimoby_client` in the folder given by `--client`
(`openapi-python-client generate --path <bundled manifest> --meta none
--output-path <folder>/kimoby_client`). Each call goes through the generated
module of its operation (`kimoby_client.api.<tag>.<operation in snake case>`,
`sync_detailed`), each request body is read into the generated model its
`body` argument is annotated with (`from_dict`), and each answer is the model
the client parsed (`Response.parsed`), which must be the generated class named
after the schema's title. See scenario.py for the checks and the report.
"""

import importlib
import inspect
import io
import pathlib
import sys

import scenario


def main():
    options = scenario.arguments()
    sys.path.insert(0, options.client)
    client_package = importlib.import_module("kimoby_client")
    models = importlib.import_module("kimoby_client.models")
    types = importlib.import_module("kimoby_client.types")
    api_folder = pathlib.Path(options.client) / "kimoby_client" / "api"
    titles = scenario.schema_titles(options.manifest)
    client = client_package.Client(
        base_url=options.base_url,
        httpx_args={"auth": (options.api_key, options.api_secret)},
    )

    def module_of(operation):
        name = scenario.snake_case(operation)
        for path in sorted(api_folder.glob(f"*/{name}.py")):
            return importlib.import_module(f"kimoby_client.api.{path.parent.name}.{name}")
        raise scenario.UnexpectedAnswer(f"no module {name}.py generated for {operation}")

    def call(step, path_id, body):
        function = module_of(step["operation"]).sync_detailed
        parameters = inspect.signature(function).parameters
        arguments = {"client": client}
        if path_id is not None:
            arguments["id"] = path_id
        lookup = scenario.lookup_parameter(step["operation"])
        if lookup is not None:
            arguments[lookup] = options.values[step["value"]]
        if body is not None:
            arguments["body"] = parameters["body"].annotation.from_dict(body)
        if step["operation"] == "uploadDocument":
            document = types.File(
                payload=io.BytesIO(scenario.DOCUMENT),
                file_name=options.values["document_file_name"],
                mime_type="image/png",
            )
            arguments["body"] = parameters["body"].annotation(file=document)
        response = function(**arguments)
        return int(response.status_code), response.parsed

    def answer_type(schema):
        return getattr(models, titles[schema])

    return scenario.run("openapi-python-client", call, answer_type, options)


if __name__ == "__main__":
    sys.exit(main())
