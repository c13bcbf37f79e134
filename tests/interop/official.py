"""Signs and verifies with the providers' official Python libraries, for tests/cli/interop.rs.

    official.py svix-verify SECRET PAYLOAD_FILE HEADERS_JSON   -> valid | invalid: why
    official.py svix-sign SECRET PAYLOAD_FILE MSG_ID UNIX      -> v1,<base64>
    official.py stripe-verify SECRET PAYLOAD_FILE HEADER       -> valid | invalid: why
    official.py stripe-sign SECRET PAYLOAD_FILE UNIX           -> t=...,v1=...
"""

import json
import sys
from datetime import datetime, timezone


def svix_verify(secret, payload, headers):
    from svix.webhooks import Webhook, WebhookVerificationError

    try:
        Webhook(secret).verify(payload, json.loads(headers))
        return "valid"
    except WebhookVerificationError as e:
        return f"invalid: {e}"
    # The library raises others on some headers (an entry without its comma): a receiver errs.
    except Exception as e:  # noqa: BLE001
        return f"invalid: {type(e).__name__}: {e}"


def svix_sign(secret, payload, msg_id, unix):
    from svix.webhooks import Webhook

    at = datetime.fromtimestamp(int(unix), tz=timezone.utc)
    return Webhook(secret).sign(msg_id, at, payload.decode())


def stripe_verify(secret, payload, header):
    import stripe

    try:
        stripe.WebhookSignature.verify_header(payload, header, secret, tolerance=300)
        return "valid"
    except stripe.SignatureVerificationError as e:
        return f"invalid: {e}"


def stripe_sign(secret, payload, unix):
    import stripe

    return stripe.WebhookSignature.generate_signature_header(
        payload.decode(), secret, timestamp=int(unix)
    )


COMMANDS = {
    "svix-verify": svix_verify,
    "svix-sign": svix_sign,
    "stripe-verify": stripe_verify,
    "stripe-sign": stripe_sign,
}

if __name__ == "__main__":
    command, secret, payload_file, *rest = sys.argv[1:]
    with open(payload_file, "rb") as f:
        payload = f.read()
    print(COMMANDS[command](secret, payload, *rest))
