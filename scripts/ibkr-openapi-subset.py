#!/usr/bin/env python3
"""Writes contracts/ibkr/ibkr-web-api-subset.json: the operations of IBKR's Web API that OrderProcessor calls, copied
unchanged from IBKR's OpenAPI document with every component they reference (transitively), so the tests need no
../shared. Run it after the guard calls a new endpoint (add it to CALLS) or IBKR publishes a new document:

    python3 scripts/ibkr-openapi-subset.py ../shared/reference/ibkr-web-api-openapi-2.28.0.json

A test (When_the_ibkr_subset_is_compared_with_ibkr_openapi_document) checks the file against the full document.
"""
import json
import pathlib
import sys

# Every (method, path) the guard's typed clients call (src/OrderProcessor.Brokerage, Refit attributes).
CALLS = [
    ("post", "/iserver/auth/ssodh/init"),
    ("post", "/iserver/auth/status"),
    ("post", "/tickle"),
    ("post", "/logout"),
    ("get", "/iserver/accounts"),
    ("post", "/iserver/questions/suppress"),
    ("post", "/iserver/questions/suppress/reset"),
    ("post", "/iserver/account/{accountId}/orders"),
    ("post", "/iserver/account/{accountId}/orders/whatif"),
    ("post", "/iserver/reply/{replyId}"),
    ("post", "/iserver/account/{accountId}/order/{orderId}"),
    ("delete", "/iserver/account/{accountId}/order/{orderId}"),
    ("get", "/iserver/account/orders"),
    ("get", "/iserver/account/order/status/{orderId}"),
    ("get", "/iserver/account/trades"),
]
PREFIX = "#/components/"


def references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(PREFIX):
                yield value[len(PREFIX):].split("/", 1)
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def subset(document):
    paths = {}
    for method, path in CALLS:
        paths.setdefault(path, {})[method] = document["paths"][path][method]
    components = {}
    pending = list(references(paths))
    while pending:
        section, name = pending.pop()
        if name in components.setdefault(section, {}):
            continue
        component = document["components"][section][name]
        components[section][name] = component
        pending.extend(references(component))
    return {
        "openapi": document["openapi"],
        "info": {
            "title": document["info"]["title"] + " (the subset OrderProcessor calls)",
            "version": document["info"]["version"],
            "description": "Copied unchanged from IBKR's OpenAPI document " + document["info"]["version"]
            + " by scripts/ibkr-openapi-subset.py: only the operations OrderProcessor calls and the components they reference.",
        },
        "paths": {p: paths[p] for p in sorted(paths)},
        "components": {s: {n: components[s][n] for n in sorted(components[s])} for s in sorted(components)},
    }


def main():
    source = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/ibkr-web-api-openapi-2.28.0.json")
    target = pathlib.Path(__file__).resolve().parent.parent / "contracts" / "ibkr" / "ibkr-web-api-subset.json"
    result = subset(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    counts = ", ".join(f"{len(v)} {k}" for k, v in result["components"].items())
    print(f"wrote {target}: {sum(len(m) for m in result['paths'].values())} operations, {counts}")


if __name__ == "__main__":
    main()
