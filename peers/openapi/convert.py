#!/usr/bin/env python3
"""Rebuilds rooms.json and chat.json (OpenAPI 3) from the official OpenAPI 2 files.

    python3 peers/openapi/convert.py SWAGGER2OPENAPI

SWAGGER2OPENAPI is the path of the `swagger2openapi` executable (npm package swagger2openapi
7.0.8). Every step is listed in README.md next to this file; the edits progenitor needs are
made here, on the JSON, so that rerunning this script reproduces the checked-in files exactly.
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SPECS = os.path.join(HERE, "..", "..", "..", "shared", "conformance", "azure-rest-api-specs")
if not os.path.isdir(SPECS):
    SPECS = "/work/shared/conformance/azure-rest-api-specs"

INPUTS = {
    "rooms": ("rooms/2023-10-30-preview/communicationservicesrooms.json", "common/2022-07-13/common.json"),
    "chat": ("chat/2024-03-07/communicationserviceschat.json", "common/2023-11-15/common.json"),
}
COMMON_PREFIX = "../../../Common/stable/"


def load(relative):
    with open(os.path.join(SPECS, relative), encoding="utf-8") as f:
        return json.load(f)


def refs(node):
    """Every `$ref` string under node."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def bundle(swagger, common):
    """Edit 1: the definitions that are `$ref`s into ../../../Common/stable/<date>/common.json
    (a path that is not in the published folder layout, and that progenitor cannot follow
    anyway: it reads one document) become copies of the common definitions, and the common
    definitions those refer to (local `#/definitions/...` refs inside common.json) are copied
    too, under the same names."""
    definitions = swagger["definitions"]
    for name, schema in list(definitions.items()):
        ref = schema.get("$ref", "")
        if ref.startswith(COMMON_PREFIX):
            target = ref.split("#/definitions/", 1)[1]
            definitions[name] = common["definitions"][target]
    pending = list(refs(swagger))
    while pending:
        ref = pending.pop()
        if ref.startswith(COMMON_PREFIX):
            raise SystemExit(f"a common ref outside definitions is not handled: {ref}")
        if ref.startswith("#/definitions/"):
            name = ref[len("#/definitions/"):]
            if name not in definitions:
                definitions[name] = common["definitions"][name]
                pending.extend(refs(definitions[name]))


def progenitor_edits(doc):
    """Edits 2-4, on the OpenAPI 3 document (see README.md)."""
    for path_item in doc["paths"].values():
        for method, operation in path_item.items():
            if method not in ("get", "put", "post", "patch", "delete"):
                continue
            # Edit 2: progenitor only encodes `application/json` request bodies; the body
            # of a merge-patch is JSON too.
            body = operation.get("requestBody")
            if body and "application/merge-patch+json" in body.get("content", {}):
                body["content"]["application/json"] = body["content"].pop("application/merge-patch+json")
            responses = operation["responses"]
            # Edit 3: progenitor rejects an operation whose error responses and `default`
            # disagree in type; `default` becomes the 4XX and 5XX ranges.
            if "default" in responses:
                default = responses.pop("default")
                responses.setdefault("4XX", default)
                responses.setdefault("5XX", default)


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    converter = sys.argv[1]
    for name, (source, common) in INPUTS.items():
        swagger = load(source)
        bundle(swagger, load(common))
        with tempfile.TemporaryDirectory() as tmp:
            bundled = os.path.join(tmp, f"{name}.swagger.json")
            converted = os.path.join(tmp, f"{name}.openapi.json")
            with open(bundled, "w", encoding="utf-8") as f:
                json.dump(swagger, f, indent=2)
            subprocess.run([converter, "--outfile", converted, bundled], check=True)
            with open(converted, encoding="utf-8") as f:
                doc = json.load(f)
        progenitor_edits(doc)
        with open(os.path.join(HERE, f"{name}.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        print(f"wrote {name}.json from {source} + {common}")


if __name__ == "__main__":
    main()
