"""Proves tests/interop/providers.py against the providers' published vectors (vectors.json).

    python tests/interop/selftest.py

Runs providers.py once per vector, as the Rust tests do (JSON on stdin, JSON on stdout), and
fails on any mismatch. `expect` true/false is the verdict; an object lists fields the output must
have. A vector whose command answers "unsupported" (exit 3: no official library can do it) is
counted as skipped with the harness's reason. Then round trips for the providers without
published vectors (Mailgun, Telnyx, Vonage, Plivo V3, SendGrid with a fresh key): sign, verify,
tamper, verify again. Ends with the line "N passed, N failed, N skipped".
"""

import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HARNESS = os.path.join(HERE, "providers.py")


def run(command, inp):
    proc = subprocess.run(
        [sys.executable, HARNESS, command],
        input=json.dumps(inp),
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        out = json.loads(proc.stdout)
    except json.JSONDecodeError:
        out = {"stdout": proc.stdout, "stderr": proc.stderr[-2000:]}
    return proc.returncode, out


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def check(self, name, ok, detail):
        if ok:
            self.passed += 1
            print(f"ok    {name}")
        else:
            self.failed += 1
            print(f"FAIL  {name}: {detail}")

    def skip(self, name, why):
        self.skipped += 1
        print(f"skip  {name}: {why}")


def matches(expect, code, out):
    if code != 0:
        return False
    if isinstance(expect, bool):
        return out.get("valid") is expect
    return all(out.get(k) == v for k, v in expect.items())


def vectors(tally):
    with open(os.path.join(HERE, "vectors.json")) as f:
        cases = json.load(f)["vectors"]
    for case in cases:
        src = case["source"]
        name = f"{case['command']} {src['repo']} {src['path']} {src['test']}"
        if src.get("note"):
            name += f" ({src['note']})"
        code, out = run(case["command"], case["input"])
        if code == 3:
            tally.skip(name, out.get("error"))
            continue
        tally.check(name, matches(case["expect"], code, out), f"exit {code}, {out}")


def b64(data):
    return base64.b64encode(data).decode()


def verdict_is(tally, name, command, inp, valid, error_part=None):
    code, out = run(command, inp)
    ok = code == 0 and out.get("valid") is valid
    if ok and error_part is not None:
        ok = error_part in out.get("error", "")
    tally.check(name, ok, f"exit {code}, {out}")


def round_trips(tally):
    now = int(time.time())
    body = b'[{"email":"a@example.com","event":"delivered"}]\r\n'

    # SendGrid: a fresh key pair, signed with cryptography, verified by EventWebhook.
    _, pair = run("sendgrid-keygen", {})
    _, signed = run(
        "sendgrid-sign",
        {"private_key_pem": pair["private_key_pem"], "body_b64": b64(body), "timestamp": str(now)},
    )
    sg = {"public_key": pair["public_key"], "signature": signed["signature"], "timestamp": str(now)}
    verdict_is(tally, "round trip sendgrid", "sendgrid-verify", dict(sg, body_b64=b64(body)), True)
    verdict_is(
        tally, "round trip sendgrid, CRLF dropped", "sendgrid-verify",
        dict(sg, body_b64=b64(body[:-2])), False,
    )

    # Telnyx: Ed25519 signed with cryptography, verified by verify_webhook_signature.
    _, pair = run("telnyx-keygen", {})
    tx_body = b'{"data":{"event_type":"message.sent"}}'
    _, signed = run(
        "telnyx-sign",
        {"private_key_pem": pair["private_key_pem"], "body_b64": b64(tx_body), "timestamp": now},
    )
    tx = {"public_key": pair["public_key"], "signature": signed["signature"], "timestamp": now}
    verdict_is(tally, "round trip telnyx", "telnyx-verify", dict(tx, body_b64=b64(tx_body)), True)
    verdict_is(
        tally, "round trip telnyx, body changed", "telnyx-verify",
        dict(tx, body_b64=b64(tx_body + b" ")), False, "signature",
    )
    verdict_is(
        tally, "round trip telnyx, 400 s old with tolerance 300", "telnyx-verify",
        dict(tx, body_b64=b64(tx_body), now=now + 400, tolerance=300), False, "too old",
    )
    _, by_seed = run(
        "telnyx-sign", {"seed": pair["seed"], "body_b64": b64(tx_body), "timestamp": now}
    )
    tally.check(
        "telnyx-sign by seed equals by PEM", by_seed == signed, f"{by_seed} != {signed}"
    )

    # Vonage: HS256 JWT made with PyJWT, verified by vonage_jwt.verify_signature + payload_hash.
    secret = "vonage-signature-secret-0123456789abcdef"
    vg_body = b'{"message_uuid":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","status":"delivered"}'
    _, signed = run("vonage-sign", {"signature_secret": secret, "body_b64": b64(vg_body)})
    vg = {"signature_secret": secret, "authorization": signed["authorization"]}
    verdict_is(tally, "round trip vonage", "vonage-verify", dict(vg, body_b64=b64(vg_body)), True)
    verdict_is(
        tally, "round trip vonage, body changed", "vonage-verify",
        dict(vg, body_b64=b64(vg_body + b"\n")), False, "payload_hash",
    )
    verdict_is(
        tally, "round trip vonage, other secret", "vonage-verify",
        dict(vg, signature_secret=secret + "x", body_b64=b64(vg_body)), False,
    )

    # Mailgun: the library cannot sign; the documented HMAC is computed here.
    key, token = "key-mailgun-signing-0123456789", "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
    digest = hmac.new(key.encode(), f"{now}{token}".encode(), hashlib.sha256).hexdigest()
    mg = {"signing_key": key, "token": token, "timestamp": str(now), "signature": digest}
    verdict_is(tally, "round trip mailgun", "mailgun-verify", mg, True)
    verdict_is(tally, "round trip mailgun, token edited", "mailgun-verify", dict(mg, token=token[:-1] + "1"), False)
    verdict_is(
        tally, "round trip mailgun, 1000 s old", "mailgun-verify",
        dict(mg, now=now + 1000), False, "expired",
    )

    # Plivo V3: the library's own helpers sign, validate_v3_signature verifies.
    pv = {
        "auth_token": "MAXXXXXXXXXXXXXXXXXX_token",
        "method": "POST",
        "url": "https://example.com/answer?b=2&a=1",
        "nonce": "05429567804466091622",
        "params": {"CallUUID": "c1", "From": "+15551230000", "Digits": ["2", "1"]},
    }
    _, signed = run("plivo-sign-v3", pv)
    verdict_is(tally, "round trip plivo v3", "plivo-verify-v3", dict(pv, signature=signed["signature"]), True)
    verdict_is(
        tally, "round trip plivo v3, one of two signatures", "plivo-verify-v3",
        dict(pv, signature="AAAA," + signed["signature"]), True,
    )
    verdict_is(
        tally, "round trip plivo v3, http URL", "plivo-verify-v3",
        dict(pv, url=pv["url"].replace("https", "http"), signature=signed["signature"]), False,
    )

    # Twilio: compute_signature then validate, with a repeated parameter.
    tw = {"auth_token": "12345", "url": "https://example.com/sms", "body_b64": b64(b"To=%2B1&Body=hi+there&Media=b&Media=a&Empty=")}
    _, signed = run("twilio-sign", tw)
    verdict_is(tally, "round trip twilio", "twilio-verify", dict(tw, signature=signed["signature"]), True)


def main():
    tally = Tally()
    vectors(tally)
    round_trips(tally)
    print(f"{tally.passed} passed, {tally.failed} failed, {tally.skipped} skipped")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
