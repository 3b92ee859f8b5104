#!/usr/bin/env python3
"""GUID test vectors computed independently of idrecon with Python's uuid module:
bytes_le is .NET Guid.ToByteArray() order, the stored order of objectGUID.
Run from the repository root: python3 test/vectors/make-guid-vectors.py"""
import base64
import json
import random
import uuid

rng = random.Random(20261122)
guids = [uuid.UUID("74aa7831-ac60-4c6c-bcf0-3c42b310baea"), uuid.UUID(int=0), uuid.UUID(int=(1 << 128) - 1)]
guids += [uuid.UUID(int=rng.getrandbits(128)) for _ in range(61)]
vectors = [{
    "guid": str(g),
    "immutable_id": base64.b64encode(g.bytes_le).decode(),
    "display_order_base64": base64.b64encode(g.bytes).decode(),
    "csvde": "X'" + g.bytes_le.hex() + "'",
    "ldif": "objectGUID:: " + base64.b64encode(g.bytes_le).decode(),
    "ldap_filter": "".join("\\%02x" % b for b in g.bytes_le),
    "hex_display": g.hex,
    "hex_raw": g.bytes_le.hex(),
} for g in guids]
with open("test/vectors/guids.json", "w") as f:
    json.dump(vectors, f, indent=1)
    f.write("\n")
