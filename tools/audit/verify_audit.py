#!/usr/bin/env python3
"""An auditor's verifier of the OrderProcessor audit trail, written from docs/audit.md alone (not from the C# code).

It reads an outbox export (`orders replay --from-seq 1 --to-file rows.jsonl`), the signed checkpoint file(s) and the
Ed25519 public key, and checks:
  1. every row's hash, recomputed from its fields (docs/audit.md, "The row hash");
  2. every order's chain: order sequences 1..n, each previous hash the previous row's hash;
  3. every checkpoint's signature (docs/audit.md, "The signed payload"), with the `cryptography` package when it is
     installed, else with `openssl pkeyutl -verify -rawin`;
  4. every checkpoint's digest against the export's chain heads up to its sequence (docs/audit.md, "The checkpoint digest");
  5. no row after a checkpoint is dated before it (docs/audit.md, "Back-dated rows"): a row with a sequence above a
     verified checkpoint's must not have a createdAt earlier than that checkpoint's takenAt minus the tolerance;
  6. that there is at least one checkpoint: none found is a failure, not a pass.

Standard library only (plus openssl or `cryptography` for the signature). Exit 0 when everything holds, 1 otherwise,
2 on bad input. `--json` prints the findings as one JSON document.
"""
import argparse
import base64
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

TICKS_PER_SECOND = 10_000_000
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")
HASH_MEMBER = re.compile(r',"hash":"[0-9a-f]{64}","body":')
TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})$")


def ticks(text):
    """createdAt (ISO 8601 with offset) as .NET UTC ticks: 100 ns intervals since 0001-01-01T00:00:00Z."""
    match = TIME.match(text)
    if not match:
        raise ValueError(f"not an ISO 8601 time: {text}")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction = int((match.group(7) or "").ljust(7, "0"))
    days = datetime.date(year, month, day).toordinal() - 1
    seconds = days * 86400 + hour * 3600 + minute * 60 + second
    offset = match.group(8)
    if offset != "Z":
        sign = 1 if offset[0] == "+" else -1
        seconds -= sign * (int(offset[1:3]) * 3600 + int(offset[4:6]) * 60)
    return seconds * TICKS_PER_SECOND + fraction


def raw_body(line, row):
    """The event body exactly as stored: the raw JSON after "body": (the last member), or the string bodyText."""
    if "bodyText" in row:
        return row["bodyText"]
    match = HASH_MEMBER.search(line)
    if not match or not line.endswith("}"):
        raise ValueError("no raw body member after the hash")
    return line[match.end():-1]


def row_hash(row, body):
    fields = [
        row.get("previousHash") or "",
        row["messageId"],
        row["orderId"],
        str(row["orderSequence"]),
        row["messageType"],
        str(ticks(row["createdAt"])),
        row["correlationId"],
        row["causationId"],
        body,
    ]
    return hashlib.sha256("\n".join(fields).encode("utf-8")).hexdigest()


def read_rows(path):
    rows = []
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            row = json.loads(line)
            row["_body"] = raw_body(line, row)
            row["_line"] = number
            rows.append(row)
    rows.sort(key=lambda r: r["sequence"])
    return rows


def check_rows(rows):
    problems = []
    last = {}
    for row in rows:
        expected = row_hash(row, row["_body"])
        if expected != row["hash"]:
            problems.append(f"row {row['sequence']} (order {row['orderId']} #{row['orderSequence']}): hash {row['hash']} but its fields hash to {expected}")
        if row["orderSequence"] == 0:
            if row.get("previousHash"):
                problems.append(f"row {row['sequence']}: a standalone row with a previous hash")
            continue
        before = last.get(row["orderId"])
        want_sequence, want_previous = (1, None) if before is None else (before[0] + 1, before[1])
        if row["orderSequence"] != want_sequence or row.get("previousHash") != want_previous:
            problems.append(f"row {row['sequence']} (order {row['orderId']} #{row['orderSequence']}): does not follow #{want_sequence - 1} of its chain")
        last[row["orderId"]] = (row["orderSequence"], row["hash"])
    return problems


def digest_up_to(rows, sequence):
    heads = {}
    standalone = []
    for row in rows:
        if row["sequence"] > sequence:
            break
        if row["orderSequence"] == 0:
            standalone.append((row["sequence"], row["hash"]))
        elif row["orderId"] not in heads or row["orderSequence"] > heads[row["orderId"]][0]:
            heads[row["orderId"]] = (row["orderSequence"], row["hash"])
    text = "".join(f"chain {order} {head[0]} {head[1]}\n" for order, head in sorted(heads.items(), key=lambda item: item[0].lower().encode()))
    text += "".join(f"standalone {seq} {h}\n" for seq, h in sorted(standalone))
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), len(heads), len(standalone)


def payload(c):
    return (f"OrderProcessor audit checkpoint v{c['version']}\nsequence:{c['sequence']}\nchains:{c['chains']}\n"
            f"standalone:{c['standalone']}\ndigest:{c['digest']}\ntakenAt:{c['takenAt']}\nkeyId:{c['keyId']}\n").encode("utf-8")


def public_key_raw(pem_path):
    with open(pem_path, encoding="ascii") as source:
        pem = source.read()
    body = "".join(l for l in pem.splitlines() if l and not l.startswith("-----"))
    der = base64.b64decode(body)
    if not der.startswith(ED25519_SPKI_PREFIX) or len(der) != len(ED25519_SPKI_PREFIX) + 32:
        raise ValueError("not an Ed25519 public key (SubjectPublicKeyInfo)")
    return der[len(ED25519_SPKI_PREFIX):]


def signature_valid(pem_path, raw_key, message, signature):
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        from cryptography.exceptions import InvalidSignature
    except ImportError:
        Ed25519PublicKey = None
    if Ed25519PublicKey is not None and os.environ.get("AUDIT_VERIFY_WITH") != "openssl":
        try:
            Ed25519PublicKey.from_public_bytes(raw_key).verify(signature, message)
            return True
        except InvalidSignature:
            return False
    with tempfile.TemporaryDirectory() as work:
        message_file, signature_file = os.path.join(work, "payload"), os.path.join(work, "signature")
        with open(message_file, "wb") as out:
            out.write(message)
        with open(signature_file, "wb") as out:
            out.write(signature)
        result = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pem_path, "-rawin",
                                 "-in", message_file, "-sigfile", signature_file], capture_output=True)
        return result.returncode == 0


def read_checkpoints(path):
    files = sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".jsonl")) if os.path.isdir(path) else [path]
    checkpoints = []
    for file in files:
        with open(file, encoding="utf-8") as source:
            checkpoints.extend(json.loads(line) for line in source if line.strip())
    return sorted(checkpoints, key=lambda c: (c["sequence"], c["takenAt"]))


def backdated(rows, verified, tolerance_seconds):
    """Rows created (by their createdAt) well before a verified checkpoint whose sequence they come after."""
    found = []
    by_sequence = sorted(verified, key=lambda c: c["sequence"])
    index, latest = 0, None
    tolerance = tolerance_seconds * TICKS_PER_SECOND
    for row in rows:
        while index < len(by_sequence) and by_sequence[index]["sequence"] < row["sequence"]:
            c = by_sequence[index]
            if latest is None or ticks(c["takenAt"]) > ticks(latest["takenAt"]):
                latest = c
            index += 1
        if latest is not None and ticks(row["createdAt"]) < ticks(latest["takenAt"]) - tolerance:
            found.append({"sequence": row["sequence"], "orderId": row["orderId"], "orderSequence": row["orderSequence"],
                          "createdAt": row["createdAt"], "checkpointSequence": latest["sequence"], "checkpointTakenAt": latest["takenAt"]})
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", required=True, help="outbox rows as JSON lines (orders replay --from-seq 1 --to-file)")
    parser.add_argument("--checkpoints", required=True, help="a checkpoint file or a directory of *.jsonl")
    parser.add_argument("--public-key", required=True, help="the Ed25519 public key, PEM")
    parser.add_argument("--backdate-tolerance", type=float, default=300,
                        help="seconds a row's createdAt may lie before the takenAt of a checkpoint it comes after (default 300)")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    args = parser.parse_args()
    try:
        rows = read_rows(args.export)
        checkpoints = read_checkpoints(args.checkpoints)
        raw_key = public_key_raw(args.public_key)
    except (OSError, ValueError, KeyError) as error:
        print(f"bad input: {error}", file=sys.stderr)
        return 2
    key_id = hashlib.sha256(raw_key).hexdigest()[:16]
    row_problems = check_rows(rows)
    results = []
    for c in checkpoints:
        result = {"sequence": c["sequence"], "takenAt": c["takenAt"], "holds": False}
        if c.get("version") != 1 or c.get("algorithm") != "Ed25519" or c.get("keyId") != key_id:
            result["problem"] = f"signed by key {c.get('keyId')} ({c.get('algorithm')}, v{c.get('version')}), not by {key_id}"
        elif not signature_valid(args.public_key, raw_key, payload(c), base64.b64decode(c["signature"])):
            result["problem"] = "the signature does not verify"
        else:
            digest, chains, standalone = digest_up_to(rows, c["sequence"])
            result.update(digest=digest, chains=chains, standalone=standalone)
            if digest == c["digest"]:
                result["holds"] = True
            else:
                result["problem"] = f"the export's heads up to {c['sequence']} digest to {digest}, not the signed {c['digest']}"
        results.append(result)
    signed = [c for c, r in zip(checkpoints, results) if "digest" in r]  # the signature verified
    late = backdated(rows, signed, args.backdate_tolerance)
    reason = None if checkpoints else "no checkpoint found in the file(s) given: nothing signed to check the export against"
    ok = not row_problems and bool(results) and all(r["holds"] for r in results) and not late
    if args.json:
        document = {"intact": ok, "rows": len(rows), "keyId": key_id, "rowProblems": row_problems, "checkpoints": results, "backdated": late}
        if reason:
            document["reason"] = reason
        print(json.dumps(document, indent=2))
    else:
        for problem in row_problems:
            print("ROW:", problem)
        for r in results:
            print(f"checkpoint {r['sequence']} ({r['takenAt']}): " + ("holds" if r["holds"] else "FAILS: " + r["problem"]))
        for b in late:
            print(f"BACK-DATED: row {b['sequence']} (order {b['orderId']} #{b['orderSequence']}) created {b['createdAt']}, "
                  f"after checkpoint {b['checkpointSequence']} taken {b['checkpointTakenAt']}")
        if reason:
            print("FAILS:", reason)
        print(f"{'intact' if ok else 'BROKEN'}: {len(rows)} rows, {len(results)} checkpoint(s), key {key_id}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
