"""Signs and verifies webhooks with each provider's official Python library, for hookctl's interop tests.

    python tests/interop/providers.py COMMAND < input.json > output.json

Reads one JSON object on stdin and prints one JSON object on stdout. Bodies travel as base64 in
`body_b64` so that bytes (CRLF, non-UTF-8) survive; headers are a JSON object name -> value.
Verify commands print {"valid": true} or {"valid": false, "error": "..."} with the library's own
message (or the exception's type name and message); sign commands print what the library makes.

Every verify command also takes an optional "now" (unix seconds): the library's clock is frozen
there for that one call, so that published vectors with old timestamps can be checked. Only the
clock the library module itself reads is replaced; the library's code runs unchanged.

Exit status: 0 for any verdict; 2 for bad input (unknown command, missing field, not JSON);
3 when no official library can do what the command asks (the output's "error" says why).
The harness never touches the network. tests/interop/README.md lists each command's library call.
"""

import base64
import contextlib
import datetime as _dt
import hashlib
import json
import logging
import re
import sys
import time as _time
import uuid
from urllib.parse import parse_qsl

JSON_TYPES = ("application/json",)


class BadInput(Exception):
    """The input object lacks a field or has one of the wrong shape."""


class Unsupported(Exception):
    """No official library can do this; the message says which and why."""


# ---------------------------------------------------------------------------------------------
# Input and verdict plumbing


def field(inp, name, default=...):
    if name in inp:
        return inp[name]
    if default is ...:
        raise BadInput(f"missing field {name!r}")
    return default


def body_of(inp):
    try:
        return base64.b64decode(field(inp, "body_b64"), validate=True)
    except (ValueError, TypeError) as e:
        raise BadInput(f"body_b64 is not base64: {e}") from e


def as_text(body, library):
    """The str these libraries take as the payload; a body that is not UTF-8 cannot be passed."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotText(f"{library} takes the body as str and it is not UTF-8: {e}") from e


class NotText(Exception):
    """The body cannot be handed to a library that wants str."""


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def verdict(call, refused):
    """Runs `call` (the library's verification); its result, exception or log lines become the verdict.

    `call` returns True/None for valid, False for invalid (then `refused` is the error, unless
    the library logged why). Any exception, expected or not, is an invalid verdict naming its type.
    """
    records = _Records()
    root = logging.getLogger()
    root.addHandler(records)
    try:
        ok = call()
    except NotText as e:
        return {"valid": False, "error": str(e)}
    except Exception as e:  # noqa: BLE001 - a receiver's code would see any of them
        return {"valid": False, "error": f"{type(e).__name__}: {e}"}
    finally:
        root.removeHandler(records)
    if ok is False:
        said = "; ".join(m for m in records.messages if m)
        return {"valid": False, "error": said or refused}
    return {"valid": True}


class _FrozenClock:
    """Stands in for the `time` module inside one library module."""

    def __init__(self, now):
        self._now = float(now)

    def time(self):
        return self._now

    def __getattr__(self, name):
        return getattr(_time, name)


def _frozen_datetime(now):
    class FrozenDatetime(_dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return _dt.datetime.fromtimestamp(float(now), tz=tz)

    return FrozenDatetime


@contextlib.contextmanager
def patched(module, name, value):
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


def frozen_time(inp, module):
    """Freezes `module.time` at inp["now"] when given."""
    if inp.get("now") is None:
        return contextlib.nullcontext()
    return patched(module, "time", _FrozenClock(inp["now"]))


# ---------------------------------------------------------------------------------------------
# Twilio: twilio.request_validator.RequestValidator


class FormParams(dict):
    """Form parameters as Flask/Django hand them: `params[name]` is the first value and
    `getlist(name)` all of them, which RequestValidator.get_values uses for repeated names."""

    def __init__(self, pairs):
        super().__init__()
        self._lists = {}
        for name, value in pairs:
            self._lists.setdefault(name, []).append(value)
            self.setdefault(name, value)

    def getlist(self, name):
        return list(self._lists.get(name, []))


def parse_form(body):
    # Blank values kept and UTF-8 with replacement, as werkzeug and Django's QueryDict parse.
    # Latin-1 round-trips every byte, so raw (unescaped) non-ASCII bytes survive the split too.
    pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    utf8 = lambda s: s.encode("latin-1").decode("utf-8", "replace")  # noqa: E731
    return FormParams((utf8(k), utf8(v)) for k, v in pairs)


def is_json(content_type):
    return content_type.split(";")[0].strip().lower() in JSON_TYPES


def twilio_algorithm(inp):
    from twilio.request_validator import get_signature_algorithm

    return get_signature_algorithm(inp.get("signature_settings"))


def twilio_verify(inp):
    from twilio.request_validator import RequestValidator

    token, url, signature = field(inp, "auth_token"), field(inp, "url"), field(inp, "signature")
    body = body_of(inp)
    content_type = field(inp, "content_type", "application/x-www-form-urlencoded")

    def call():
        # A JSON body goes in as the raw str: the library then checks bodySHA256 in the URL.
        params = as_text(body, "twilio") if is_json(content_type) else parse_form(body)
        validator = RequestValidator(token)
        return validator.validate(url, params, signature, twilio_algorithm(inp))

    return verdict(call, "RequestValidator.validate returned False")


def twilio_sign(inp):
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(field(inp, "auth_token"))
    url, body = field(inp, "url"), body_of(inp)
    content_type = field(inp, "content_type", "application/x-www-form-urlencoded")
    if is_json(content_type):
        # Twilio's JSON variant signs the URL alone; the URL carries bodySHA256 (compute_hash).
        out = {"signature": validator.compute_signature(url, {}, twilio_algorithm(inp))}
        out["body_sha256"] = validator.compute_hash(as_text(body, "twilio"))
        return out
    params = parse_form(body)
    return {"signature": validator.compute_signature(url, params, twilio_algorithm(inp))}


# ---------------------------------------------------------------------------------------------
# SendGrid: sendgrid.helpers.eventwebhook.EventWebhook


def sendgrid_verify(inp):
    from sendgrid.helpers.eventwebhook import EventWebhook

    public_key, signature = field(inp, "public_key"), field(inp, "signature")
    timestamp, body = str(field(inp, "timestamp")), body_of(inp)

    def call():
        webhook = EventWebhook()
        key = webhook.convert_public_key_to_ecdsa(public_key)
        # verify_signature builds (timestamp + payload).encode("utf-8"): the payload is a str.
        return webhook.verify_signature(as_text(body, "sendgrid"), signature, timestamp, key)

    return verdict(call, "EventWebhook.verify_signature returned False")


def sendgrid_sign(inp):
    # The sendgrid SDK only verifies. This signs what EventWebhook.verify_signature checks
    # (ECDSA P-256 / SHA-256 over timestamp + payload, DER) with `cryptography`, the package
    # the SDK's own helper verifies with.
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = serialization.load_pem_private_key(field(inp, "private_key_pem").encode(), None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise BadInput("private_key_pem is not an EC private key")
    signed = str(field(inp, "timestamp")).encode("utf-8") + body_of(inp)
    der = key.sign(signed, ec.ECDSA(hashes.SHA256()))
    return {"signature": base64.b64encode(der).decode()}


def sendgrid_keygen(inp):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return {
        "private_key_pem": pem_private(key),
        # As the dashboard shows it: base64 of the DER SubjectPublicKeyInfo.
        "public_key": base64.b64encode(
            key.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        ).decode(),
    }


def pem_private(key):
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


# ---------------------------------------------------------------------------------------------
# Mailgun: mailgun.security.SecurityGuard.verify_webhook


def mailgun_verify(inp):
    import mailgun.security as security

    key, token = field(inp, "signing_key"), field(inp, "token")
    timestamp, signature = field(inp, "timestamp"), field(inp, "signature")
    max_age = int(field(inp, "max_age", 900))

    def call():
        with frozen_time(inp, security):
            return security.SecurityGuard.verify_webhook(
                key, token, timestamp, signature, max_age_seconds=max_age
            )

    return verdict(call, "SecurityGuard.verify_webhook returned False")


# ---------------------------------------------------------------------------------------------
# Resend (resend.Webhooks.verify) and Svix (svix.webhooks.Webhook)


def header(headers, *names):
    lower = {k.lower(): v for k, v in headers.items()}
    for name in names:
        if name in lower:
            return lower[name]
    return None


def resend_verify(inp):
    import resend
    import resend.webhooks._webhooks as module

    secret, headers, body = field(inp, "secret"), field(inp, "headers"), body_of(inp)
    if not isinstance(headers, dict):
        raise BadInput("headers must be an object")
    # Resend documents the svix-* names; white-labelled senders use webhook-*.
    svix_headers = {
        part: header(headers, f"svix-{part}", f"webhook-{part}")
        for part in ("id", "timestamp", "signature")
    }

    def call():
        options = {
            "payload": as_text(body, "resend"),
            "headers": svix_headers,
            "webhook_secret": secret,
        }
        with frozen_time(inp, module):
            resend.Webhooks.verify(options)

    return verdict(call, "resend.Webhooks.verify refused")


def svix_clock(inp):
    import standardwebhooks.webhooks as inner

    if inp.get("now") is None:
        return contextlib.nullcontext()
    # svix.Webhook delegates to standardwebhooks.webhooks.Webhook, which reads datetime.now.
    return patched(inner, "datetime", _frozen_datetime(inp["now"]))


def svix_verify(inp):
    from svix.webhooks import Webhook

    secret, headers, body = field(inp, "secret"), field(inp, "headers"), body_of(inp)
    if not isinstance(headers, dict):
        raise BadInput("headers must be an object")

    def call():
        with svix_clock(inp):
            Webhook(secret).verify(body, headers)

    return verdict(call, "svix Webhook.verify refused")


def svix_sign(inp):
    from svix.webhooks import Webhook

    at = _dt.datetime.fromtimestamp(int(field(inp, "timestamp")), tz=_dt.timezone.utc)
    body = body_of(inp)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadInput(f"svix Webhook.sign takes the body as str and it is not UTF-8: {e}") from e
    return {"signature": Webhook(field(inp, "secret")).sign(field(inp, "msg_id"), at, text)}


# ---------------------------------------------------------------------------------------------
# Telnyx: telnyx.lib.webhook_verification.verify_webhook_signature


def telnyx_verify(inp):
    import telnyx.lib.webhook_verification as module

    public_key, signature = field(inp, "public_key"), field(inp, "signature")
    timestamp, body = str(field(inp, "timestamp")), body_of(inp)
    tolerance = inp.get("tolerance")
    headers = {module.SIGNATURE_HEADER: signature, module.TIMESTAMP_HEADER: timestamp}

    def call():
        with contextlib.ExitStack() as stack:
            stack.enter_context(frozen_time(inp, module))
            if tolerance is not None:
                # The library's window is this module constant (300 s), read at call time.
                stack.enter_context(
                    patched(module, "TIMESTAMP_TOLERANCE_SECONDS", int(tolerance))
                )
            module.verify_webhook_signature(body, headers, public_key)

    return verdict(call, "verify_webhook_signature refused")


def ed25519_private(inp):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    if inp.get("private_key_pem"):
        key = serialization.load_pem_private_key(inp["private_key_pem"].encode(), None)
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise BadInput("private_key_pem is not an Ed25519 private key")
        return key
    seed = base64.b64decode(field(inp, "seed"))
    if len(seed) != 32:
        raise BadInput(f"seed must be 32 bytes, got {len(seed)}")
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed)


def raw_public(key):
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def telnyx_sign(inp):
    # The telnyx SDK only verifies. This signs what verify_webhook_signature checks
    # (Ed25519 over "timestamp|body") with `cryptography`.
    key = ed25519_private(inp)
    signed = str(field(inp, "timestamp")).encode("utf-8") + b"|" + body_of(inp)
    return {"signature": base64.b64encode(key.sign(signed)).decode()}


def telnyx_keygen(inp):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    key = ed25519.Ed25519PrivateKey.generate()
    seed = key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return {
        "private_key_pem": pem_private(key),
        "seed": base64.b64encode(seed).decode(),
        # As Mission Control shows it: base64 of the 32 raw bytes.
        "public_key": base64.b64encode(raw_public(key)).decode(),
    }


# ---------------------------------------------------------------------------------------------
# Vonage: vonage_jwt.verify_signature, then the payload_hash claim


def bearer_token(authorization):
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token else authorization.strip()


def vonage_verify(inp):
    import jwt
    from vonage_jwt import verify_signature

    secret, authorization = field(inp, "signature_secret"), field(inp, "authorization")
    body = body_of(inp)
    token = bearer_token(authorization)

    def call():
        if not verify_signature(token, secret):
            return False
        # Signature good: Vonage's docs then compare payload_hash with sha256 of the body.
        claims = jwt.decode(token, secret, algorithms=["HS256"])
        expected = hashlib.sha256(body).hexdigest()
        got = claims.get("payload_hash")
        if got != expected:
            raise PayloadHashMismatch(
                f"payload_hash claim {got!r} is not the body's sha256 {expected!r}"
            )
        return True

    out = verdict(call, "vonage_jwt.verify_signature returned False (the HS256 signature)")
    prefix = "PayloadHashMismatch: "
    if out.get("error", "").startswith(prefix):
        out["error"] = out["error"][len(prefix) :]
    return out


class PayloadHashMismatch(Exception):
    """The JWT is genuine but was issued for another body."""


def vonage_sign(inp):
    # vonage-jwt's JwtClient makes RS256 application tokens only; webhook tokens are HS256 with the
    # signature secret, so PyJWT (which vonage-jwt itself uses) makes them.
    import jwt

    claims = {
        "iat": int(_time.time()),
        "jti": str(uuid.uuid4()),
        "iss": "Vonage",
        "api_key": "abcd1234",
        "application_id": "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab",
        "payload_hash": hashlib.sha256(body_of(inp)).hexdigest(),
    }
    extra = inp.get("claims") or {}
    if not isinstance(extra, dict):
        raise BadInput("claims must be an object")
    claims.update(extra)
    token = jwt.encode(claims, field(inp, "signature_secret"), algorithm="HS256")
    return {"authorization": f"Bearer {token}", "claims": claims}


# ---------------------------------------------------------------------------------------------
# Plivo: plivo.utils.validate_v3_signature and validate_signature


def plivo_params(inp):
    params = inp.get("params") or {}
    if not isinstance(params, dict):
        raise BadInput("params must be an object")
    return dict(params)  # the library adds the URL's query into the dict it is given


def plivo_verify_v3(inp):
    from plivo.utils import validate_v3_signature

    method, url = field(inp, "method"), field(inp, "url")
    nonce, signature = field(inp, "nonce"), field(inp, "signature")
    token, params = field(inp, "auth_token"), plivo_params(inp)

    def call():
        return validate_v3_signature(method, url, nonce, token, signature, params)

    return verdict(call, "validate_v3_signature returned False")


def plivo_verify_v2(inp):
    from plivo.utils import validate_signature

    url, nonce = field(inp, "url"), field(inp, "nonce")
    signature, token = field(inp, "signature"), field(inp, "auth_token")
    return verdict(
        lambda: validate_signature(url, nonce, signature, token),
        "validate_signature returned False",
    )


def plivo_sign_v3(inp):
    # The library's own helpers, in the order validate_v3_signature calls them.
    from plivo.utils.signature_v3 import construct_get_url, construct_post_url, get_signature_v3

    method, url = field(inp, "method"), field(inp, "url")
    nonce, token, params = field(inp, "nonce"), field(inp, "auth_token"), plivo_params(inp)
    if method.upper() not in ("GET", "POST"):
        raise BadInput("method must be GET or POST")
    # validate_v3_signature compares the method case-sensitively with 'GET'.
    build = construct_get_url if method == "GET" else construct_post_url
    base_url = build(url, params).decode("utf-8")
    signature = get_signature_v3(token.encode("utf-8"), base_url, nonce.encode("utf-8"))
    return {"signature": signature.decode("utf-8")}


def plivo_sign_v2(inp):
    raise Unsupported(
        "plivo 4.63.0 exposes no V2 signing helper: plivo.utils.validate_signature computes "
        "the HMAC inline and only returns a bool"
    )


# ---------------------------------------------------------------------------------------------
# Standard Webhooks v1a (Ed25519)

# No official package on PyPI or npm implements v1a: standardwebhooks 1.1.0 and svix 2.9.1 (PyPI)
# and standardwebhooks 1.1.1 and svix 2.5.0 (npm) know v1 (HMAC) only. The one implementation is
# the Go library in the standard-webhooks repository (libraries/go/webhook_asymmetric.go, with
# webhook.go's header and timestamp checks), which neither registry carries. These two commands
# are a line-by-line port of it onto `cryptography`'s Ed25519, written apart from hookctl's Rust:
# an independent reading of the same reference, checked against its published vector.

V1A_TOLERANCE = 5 * 60  # webhook.go: tolerance = 5 * time.Minute


def v1a_key(text, prefix):
    # NewWebhookAsymmetric: base64 StdEncoding after strings.TrimPrefix(key, prefix).
    raw = text[len(prefix):] if text.startswith(prefix) else text
    try:
        return base64.b64decode(raw, validate=True)
    except ValueError as e:
        raise BadInput(f"{prefix} key is not base64: {e}") from e


def standard_v1a_sign(inp):
    from cryptography.hazmat.primitives.asymmetric import ed25519

    # ed25519.NewKeyFromSeed(whsk_ bytes); Sign: "v1a," + base64(ed25519.Sign(id.timestamp.body)).
    key = ed25519.Ed25519PrivateKey.from_private_bytes(v1a_key(field(inp, "secret_key"), "whsk_"))
    signed = f"{field(inp, 'msg_id')}.{int(field(inp, 'timestamp'))}.".encode() + body_of(inp)
    return {"signature": "v1a," + base64.b64encode(key.sign(signed)).decode()}


def standard_v1a_verify(inp):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric import ed25519

    public = ed25519.Ed25519PublicKey.from_public_bytes(v1a_key(field(inp, "public_key"), "whpk_"))
    headers = {k.lower(): v for k, v in field(inp, "headers").items()}
    body, now = body_of(inp), int(inp.get("now", _time.time()))

    def call():
        # webhook.go: headers.Get of the webhook-* names; all three required.
        msg_id = headers.get("webhook-id", "")
        signatures = headers.get("webhook-signature", "")
        stamp = headers.get("webhook-timestamp", "")
        if not (msg_id and signatures and stamp):
            raise ValueError("missing required headers")
        if not re.fullmatch(r"[+-]?[0-9]+", stamp):  # strconv.ParseInt(s, 10, 64)
            raise ValueError("invalid signature headers")
        timestamp = int(stamp)
        if now - timestamp > V1A_TOLERANCE:
            raise ValueError("message timestamp too old")
        if timestamp > now + V1A_TOLERANCE:
            raise ValueError("message timestamp too new")
        signed = f"{msg_id}.{timestamp}.".encode() + body
        for entry in signatures.split(" "):
            parts = entry.split(",")
            if len(parts) < 2 or parts[0] != "v1a":
                continue
            try:
                public.verify(base64.b64decode(parts[1], validate=True), signed)
                return True
            except (ValueError, InvalidSignature):
                continue
        raise ValueError("no matching signature found")

    return verdict(call, "no matching signature found")


COMMANDS = {
    "twilio-verify": twilio_verify,
    "twilio-sign": twilio_sign,
    "sendgrid-verify": sendgrid_verify,
    "sendgrid-sign": sendgrid_sign,
    "sendgrid-keygen": sendgrid_keygen,
    "mailgun-verify": mailgun_verify,
    "resend-verify": resend_verify,
    "svix-verify": svix_verify,
    "svix-sign": svix_sign,
    "telnyx-verify": telnyx_verify,
    "telnyx-sign": telnyx_sign,
    "telnyx-keygen": telnyx_keygen,
    "vonage-verify": vonage_verify,
    "vonage-sign": vonage_sign,
    "plivo-verify-v3": plivo_verify_v3,
    "plivo-verify-v2": plivo_verify_v2,
    "plivo-sign-v3": plivo_sign_v3,
    "plivo-sign-v2": plivo_sign_v2,
    "standard-v1a-verify": standard_v1a_verify,
    "standard-v1a-sign": standard_v1a_sign,
}


def main(argv):
    if len(argv) != 2 or argv[1] not in COMMANDS:
        print(f"usage: providers.py {{{'|'.join(COMMANDS)}}} < input.json", file=sys.stderr)
        return 2
    try:
        inp = json.loads(sys.stdin.read())
        if not isinstance(inp, dict):
            raise BadInput("the input must be one JSON object")
        out = COMMANDS[argv[1]](inp)
    except (BadInput, json.JSONDecodeError) as e:
        print(json.dumps({"error": f"bad input: {e}"}))
        return 2
    except Unsupported as e:
        print(json.dumps({"error": f"unsupported: {e}"}))
        return 3
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
