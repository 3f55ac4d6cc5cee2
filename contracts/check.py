#!/usr/bin/env python3
"""Checks the published contract outside .NET: every schema in contracts/schemas is a valid JSON Schema 2020-12, and
judges each example of contracts/examples/commands.json as the file says (valid or invalid).

    python3 contracts/check.py        # needs the jsonschema package (pip install jsonschema); exit 1 on any disagreement
"""
import json
import pathlib
import sys
import uuid

from jsonschema import Draft202012Validator

HERE = pathlib.Path(__file__).resolve().parent


def fill(text: str) -> str:
    text = text.replace('"$CONID"', "265598").replace('"$OVERFLOW"', "1e400")
    text = text.replace("$WORKING", str(uuid.uuid4())).replace("$ID", str(uuid.uuid4()))
    while "$NEW" in text:
        text = text.replace("$NEW", str(uuid.uuid4()), 1)
    return text


def main() -> int:
    schemas = {}
    for path in sorted((HERE / "schemas").glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        schemas[path.name.removesuffix(".schema.json")] = Draft202012Validator(schema)
    print(f"{len(schemas)} schemas are valid JSON Schema 2020-12")

    wrong = 0
    cases = json.loads((HERE / "examples" / "commands.json").read_text(encoding="utf-8"))["cases"]
    judged = 0
    for case in cases:
        if "message" not in case:
            continue  # not JSON: nothing for a schema to judge
        message = json.loads(fill(json.dumps(case["message"])))
        errors = sorted(schemas[case["command"]].iter_errors(message), key=lambda e: list(e.path))
        verdict = "invalid" if errors else "valid"
        judged += 1
        where = "; ".join(".".join(str(p) for p in e.path) or "(message)" for e in errors[:3])
        print(f"{verdict:7} {case['command']}: {case['name']}" + (f" [{where}]" if errors else ""))
        if verdict != case["schema"]:
            wrong += 1
            print(f"  expected {case['schema']}", file=sys.stderr)

    print(f"{judged} examples judged, {wrong} otherwise than the file says")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
