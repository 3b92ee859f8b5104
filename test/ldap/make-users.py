#!/usr/bin/env python3
"""Writes the users the Samba DC tests load and, independently of idrecon's code, the rows
`idrecon export onprem` must write for them: objectGUID, mS-DS-ConsistencyGuid and objectSid are
fixed here (loaded offline with `ldbadd --relax`, which accepts them as given), GUID display
forms come from Python's uuid (bytes_le is the stored order), SIDs are written by hand.

Run from the repository root: python3 test/ldap/make-users.py
"""
import base64
import csv
import uuid

NS = uuid.UUID("0b6b8a43-2a8e-4f63-9d1e-1f5a6c3b7d21")
DOMAIN_SID = "S-1-5-21-4248308273-3223293760-397553378"  # the domain SID of the template DC
BASE = "DC=example,DC=test"
STAFF = f"OU=Staff,{BASE}"


def guid(name):
    return uuid.uuid5(NS, name)


def b64(data):
    return base64.b64encode(data).decode()


# 16 bytes that are valid UTF-8 (eight times U+00E9): a client that decodes binary attributes
# as text returns them as a string instead of bytes.
UTF8_CG = "é".encode() * 8
assert len(UTF8_CG) == 16
UTF8_CG_GUID = uuid.UUID(bytes_le=UTF8_CG)
TWENTY_BYTES = bytes(range(1, 21))

# dn (under STAFF), sAMAccountName, upn, objectGUID, consistency bytes, uac, mail, proxyAddresses, rid
USERS = [
    ("CN=Ann Adams", "ann", "ann.adams@example.test", guid("ann"), None, 544, "ann.adams@example.test",
     ["SMTP:ann.adams@example.test", "smtp:ann@example.test", "smtp:aadams@example.test"], 3001),
    ("CN=Bob Brown", "bob", "bob.brown@example.test", guid("bob"), guid("bob-old-forest").bytes_le, 544, None, [], 3002),
    ("CN=Carla Cruz", "carla", "carla.cruz@example.test", guid("carla"), UTF8_CG, 544, "carla.cruz@example.test",
     ["SMTP:carla.cruz@example.test"], 3003),
    ("CN=Dave Dunn", "dave", None, guid("dave"), None, 544, None, [], 3004),
    ("CN=Erin Evans", "erin", "erin.evans@example.test", guid("erin"), None, 546, None, [], 3005),
    ("CN=Fisher\\, Frank,OU=Sales", "frank", "frank.fisher@example.test", guid("frank"), None, 544, None, [], 3006),
    ("CN=Gina Gray,OU=Sales", "gina", "gina.gray@example.test", guid("gina"), TWENTY_BYTES, 544, None, [], 3007),
    ("CN=Jörg Jäger", "joerg", "jörg.jäger@example.test", guid("joerg"), None, 544, None, [], 3008),
]


def value(attr, v):
    """RFC 2849: a value that is not plain ASCII, or starts with a space, colon or '<', is Base64."""
    if isinstance(v, bytes):
        return f"{attr}:: {b64(v)}"
    if not v.isascii() or v[:1] in (" ", ":", "<"):
        return f"{attr}:: {b64(v.encode())}"
    return f"{attr}: {v}"


def ldif():
    out = []
    for ou in (STAFF, f"OU=Sales,{STAFF}"):
        out += [f"dn: {ou}", "objectClass: organizationalUnit", ""]
    for rdn, sam, upn, g, cg, uac, mail, proxies, rid in USERS:
        out.append(value("dn", f"{rdn},{STAFF}"))
        out += ["objectClass: user", f"sAMAccountName: {sam}", f"userAccountControl: {uac}"]
        out.append(value("objectGUID", g.bytes_le))
        out.append(f"objectSid: {DOMAIN_SID}-{rid}")
        if upn:
            out.append(value("userPrincipalName", upn))
        if cg is not None:
            out.append(value("mS-DS-ConsistencyGuid", cg))
        if mail:
            out.append(value("mail", mail))
        out += [value("proxyAddresses", p) for p in proxies]
        out.append("")
    return "\n".join(out)


def cg_cell(cg):
    if cg is None:
        return ""
    return str(uuid.UUID(bytes_le=cg)) if len(cg) == 16 else "X'" + cg.hex() + "'"


def expected_rows():
    """Every column but whenChanged, which the DC sets when the user is added: the test reads it with ldbsearch."""
    rows = []
    for rdn, sam, upn, g, cg, uac, mail, proxies, rid in USERS:
        rows.append([upn or "", str(g), cg_cell(cg), mail or "", ";".join(proxies), sam, f"{rdn},{STAFF}",
                     "False" if uac & 2 else "True", "False", f"{DOMAIN_SID}-{rid}"])
    return rows


if __name__ == "__main__":
    with open("test/ldap/users.ldif", "w", encoding="utf-8", newline="\n") as f:
        f.write(ldif())
    with open("test/ldap/expected-users.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["UserPrincipalName", "ObjectGUID", "mS-DS-ConsistencyGuid", "mail", "proxyAddresses", "SamAccountName",
                    "DistinguishedName", "Enabled", "isCriticalSystemObject", "objectSid"])
        w.writerows(expected_rows())
