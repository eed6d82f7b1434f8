"""Drives kimoby-mock through the scenario with the client openapi-python-client generated.

The client is the project `openapi-python-client generate --path <bundled
manifest> --output-path <folder>` writes (default settings), whose package
(`kimoby_rest_api_client`, after the manifest's title) `--client <folder>`
holds. Each call goes through the generated module of its operation
(`<package>.api.<tag>.<operation in snake case>`, `sync_detailed`), each
request body is read into the generated model its `body` argument is
annotated with (`from_dict`), and each answer is the model the client parsed
(`Response.parsed`), which must be the generated class named after the
schema's title. See scenario.py for the checks and the report.
"""

import importlib
import inspect
import io
import pathlib
import sys

import scenario


def main():
    options = scenario.arguments()
    # The generated project holds one package (named after the manifest's title), with client.py.
    packages = sorted(path.parent for path in pathlib.Path(options.client).glob("*/client.py"))
    if len(packages) != 1:
        print(
            f"openapi-python-client, {options.mode}: {len(packages)} generated packages in {options.client}, not 1"
        )
        return 1
    package = packages[0].name
    sys.path.insert(0, options.client)
    client_package = importlib.import_module(package)
    models = importlib.import_module(f"{package}.models")
    types = importlib.import_module(f"{package}.types")
    api_folder = packages[0] / "api"
    titles = scenario.schema_titles(options.manifest)
    client = client_package.Client(
        base_url=options.base_url,
        httpx_args={"auth": (options.api_key, options.api_secret)},
    )

    def module_of(operation):
        name = scenario.snake_case(operation)
        for path in sorted(api_folder.glob(f"*/{name}.py")):
            return importlib.import_module(f"{package}.api.{path.parent.name}.{name}")
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
