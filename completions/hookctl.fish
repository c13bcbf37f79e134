# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_hookctl_global_optspecs
    string join \n color= h/help V/version
end

function __fish_hookctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_hookctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_hookctl_using_subcommand
    set -l cmd (__fish_hookctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c hookctl -n "__fish_hookctl_needs_command" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_needs_command" -s V -l version -d 'Print version'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "events" -d 'List the event types providers send, with their descriptions'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "sample" -d 'Print a realistic sample event of a type'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "sign" -d 'Print the signature header(s) for a payload, ready for `curl -H`'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "verify" -d 'Check a signature against a payload, and explain a mismatch'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "send" -d 'Sign and POST sample events to an endpoint, as the provider\'s "Test Endpoint" button does'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "listen" -d 'Run a temporary local listener that verifies and pretty-prints incoming webhooks'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "replay" -d 'Send requests saved by `listen --save` again'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "check" -d 'Grade an endpoint like a provider would: signatures, tampering, replays, duplicates, latency'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "demo" -d 'See the whole tool in one command: a local listener, every event sent to it, a check'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "scenario" -d 'Run whole lifecycles (sent, delivered, opened…) from built-ins or your own files, in any order'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "keygen" -d 'Make a key pair for a public-key provider: write the private key, print the public one'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c hookctl -n "__fish_hookctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hookctl -n "__fish_hookctl_using_subcommand events" -l provider -d 'List this provider\'s events [default: ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand events" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand events" -l all -d 'List every provider\'s events, each under its provider'
complete -c hookctl -n "__fish_hookctl_using_subcommand events" -l json -d 'Print a JSON array of {\\"type\\",\\"description\\"}'
complete -c hookctl -n "__fish_hookctl_using_subcommand events" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand sample" -l set -d 'Override or add a field by dot path. VALUE is JSON when it looks like JSON (a number, or starts with [ { "), else a string. Repeatable' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sample" -l set-str -d 'Like --set, VALUE always a string (applied after --set). Repeatable' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sample" -l provider -d 'The provider whose event to print [default: ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand sample" -l scheme -d 'Shape the event as this scheme\'s provider does (keplars uses its own envelope)' -r -f -a "ekdsend\t'EKDSend: `X-EKDSend-Signature: sha256=<hex>` (the default)'
keplars\t'Keplars: bare hex in `X-Keplars-Signature`; Keplars-shaped email events'
github\t'GitHub: `X-Hub-Signature-256: sha256=<hex>`'
standard\t'Standard Webhooks: webhook-id, webhook-timestamp, `webhook-signature: v1,<base64>`'
svix\t'Svix and Resend: Standard Webhooks as svix-id, svix-timestamp, svix-signature'
stripe\t'Stripe: `Stripe-Signature: t=<unix>,v1=<hex>`'
twilio\t'Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 of the URL and the sorted parameters (needs --url)'
plivo\t'Plivo: `X-Plivo-Signature-V3` and `-V2` with their nonces, base64 HMAC-SHA256 (needs --url)'
vonage\t'Vonage: `Authorization: Bearer <JWT>`, HS256 with the signature secret, the body\'s SHA-256 in its claims'
mailgun\t'Mailgun: the hex HMAC of timestamp + token, in the body\'s `signature` object'
basic\t'HTTP basic auth, as Postmark sends it: no signature (credentials from --basic-auth)'
sendgrid\t'SendGrid: ECDSA P-256 in X-Twilio-Email-Event-Webhook-Signature (a key pair)'
telnyx\t'Telnyx: Ed25519 in telnyx-signature-ed25519 (a key pair)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand sample" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand sample" -l compact -d 'One compact line, exactly the bytes hookctl would send (the default when piped)'
complete -c hookctl -n "__fish_hookctl_using_subcommand sample" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l secret -d 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l secret-file -d 'Read the secret from a file (one trailing newline is ignored)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l private-key -d 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l provider -d 'The provider whose events, body format and signature to use [default: ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l scheme -d 'Signature scheme, to sign another way than the provider does [default: the provider\'s]' -r -f -a "ekdsend\t'EKDSend: `X-EKDSend-Signature: sha256=<hex>` (the default)'
keplars\t'Keplars: bare hex in `X-Keplars-Signature`; Keplars-shaped email events'
github\t'GitHub: `X-Hub-Signature-256: sha256=<hex>`'
standard\t'Standard Webhooks: webhook-id, webhook-timestamp, `webhook-signature: v1,<base64>`'
svix\t'Svix and Resend: Standard Webhooks as svix-id, svix-timestamp, svix-signature'
stripe\t'Stripe: `Stripe-Signature: t=<unix>,v1=<hex>`'
twilio\t'Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 of the URL and the sorted parameters (needs --url)'
plivo\t'Plivo: `X-Plivo-Signature-V3` and `-V2` with their nonces, base64 HMAC-SHA256 (needs --url)'
vonage\t'Vonage: `Authorization: Bearer <JWT>`, HS256 with the signature secret, the body\'s SHA-256 in its claims'
mailgun\t'Mailgun: the hex HMAC of timestamp + token, in the body\'s `signature` object'
basic\t'HTTP basic auth, as Postmark sends it: no signature (credentials from --basic-auth)'
sendgrid\t'SendGrid: ECDSA P-256 in X-Twilio-Email-Event-Webhook-Signature (a key pair)'
telnyx\t'Telnyx: Ed25519 in telnyx-signature-ed25519 (a key pair)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l header -d 'Rename the signature header (schemes with one header)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l payload -d 'The exact bytes to sign: a file, or - for standard input' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l set -d 'Override or add a field by dot path. VALUE is JSON when it looks like JSON (a number, or starts with [ { "), else a string. Repeatable' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l set-str -d 'Like --set, VALUE always a string (applied after --set). Repeatable' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l timestamp -d 'Unix time to sign with (standard, stripe, sendgrid, telnyx, mailgun) [default: now]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l id -d 'Message id to sign with (standard) [default: the payload\'s "id", else a fresh msg_ id]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l url -d 'The full URL the provider requests (twilio, plivo sign it): the one it is configured with' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l max-payload -d 'Largest payload read; a larger one is refused (e.g. 64MiB, 1GiB)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -l json -d 'Print {"headers":{…},"body_sha256":…} (plus "body" for a sample)'
complete -c hookctl -n "__fish_hookctl_using_subcommand sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l secret -d 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l secret-file -d 'Read the secret from a file (one trailing newline is ignored)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l public-key -d 'Verify with this public key, as the provider shows it (base64, `whpk_…`) or PEM: sendgrid, telnyx, and standard or svix `v1a`' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l public-key-file -d 'Read the public key from a file' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l provider -d 'The provider whose events, body format and signature to use [default: ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l scheme -d 'Signature scheme, to sign another way than the provider does [default: the provider\'s]' -r -f -a "ekdsend\t'EKDSend: `X-EKDSend-Signature: sha256=<hex>` (the default)'
keplars\t'Keplars: bare hex in `X-Keplars-Signature`; Keplars-shaped email events'
github\t'GitHub: `X-Hub-Signature-256: sha256=<hex>`'
standard\t'Standard Webhooks: webhook-id, webhook-timestamp, `webhook-signature: v1,<base64>`'
svix\t'Svix and Resend: Standard Webhooks as svix-id, svix-timestamp, svix-signature'
stripe\t'Stripe: `Stripe-Signature: t=<unix>,v1=<hex>`'
twilio\t'Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 of the URL and the sorted parameters (needs --url)'
plivo\t'Plivo: `X-Plivo-Signature-V3` and `-V2` with their nonces, base64 HMAC-SHA256 (needs --url)'
vonage\t'Vonage: `Authorization: Bearer <JWT>`, HS256 with the signature secret, the body\'s SHA-256 in its claims'
mailgun\t'Mailgun: the hex HMAC of timestamp + token, in the body\'s `signature` object'
basic\t'HTTP basic auth, as Postmark sends it: no signature (credentials from --basic-auth)'
sendgrid\t'SendGrid: ECDSA P-256 in X-Twilio-Email-Event-Webhook-Signature (a key pair)'
telnyx\t'Telnyx: Ed25519 in telnyx-signature-ed25519 (a key pair)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l header -d 'Rename the signature header (schemes with one header)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l basic-auth -d 'The user name and password the webhook URL carries [env: HOOKCTL_BASIC_AUTH]; arguments show in `ps`, the variable does not' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l payload -d 'The exact bytes received: a file, or - for standard input' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l signature -d 'The signature header\'s value' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -s H -d 'A received header, `Name: value`, as a listener shows it; several lines in one -H are several headers. Repeatable; picks the scheme if --scheme is not given' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l headers-file -d 'Read received headers from a file, one `Name: value` a line' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l max-payload -d 'Largest payload read; a larger one is refused (e.g. 64MiB, 1GiB)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l timestamp -d 'Unix time of the signature, with --signature for standard, sendgrid and telnyx' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l id -d 'Message id, with --signature for standard' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l url -d 'The full URL the provider requested (twilio, plivo sign it): the one it is configured with, not the one behind a proxy or tunnel' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l tolerance -d 'How far a signed timestamp may be from now, or `off` [default: 5m]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -l json -d 'Print {"valid","scheme","reason","hint"}'
complete -c hookctl -n "__fish_hookctl_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l url -d 'The endpoint to POST to' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l secret -d 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l secret-file -d 'Read the secret from a file (one trailing newline is ignored)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l private-key -d 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l provider -d 'The provider whose events, body format and signature to use [default: ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l scheme -d 'Signature scheme, to sign another way than the provider does [default: the provider\'s]' -r -f -a "ekdsend\t'EKDSend: `X-EKDSend-Signature: sha256=<hex>` (the default)'
keplars\t'Keplars: bare hex in `X-Keplars-Signature`; Keplars-shaped email events'
github\t'GitHub: `X-Hub-Signature-256: sha256=<hex>`'
standard\t'Standard Webhooks: webhook-id, webhook-timestamp, `webhook-signature: v1,<base64>`'
svix\t'Svix and Resend: Standard Webhooks as svix-id, svix-timestamp, svix-signature'
stripe\t'Stripe: `Stripe-Signature: t=<unix>,v1=<hex>`'
twilio\t'Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 of the URL and the sorted parameters (needs --url)'
plivo\t'Plivo: `X-Plivo-Signature-V3` and `-V2` with their nonces, base64 HMAC-SHA256 (needs --url)'
vonage\t'Vonage: `Authorization: Bearer <JWT>`, HS256 with the signature secret, the body\'s SHA-256 in its claims'
mailgun\t'Mailgun: the hex HMAC of timestamp + token, in the body\'s `signature` object'
basic\t'HTTP basic auth, as Postmark sends it: no signature (credentials from --basic-auth)'
sendgrid\t'SendGrid: ECDSA P-256 in X-Twilio-Email-Event-Webhook-Signature (a key pair)'
telnyx\t'Telnyx: Ed25519 in telnyx-signature-ed25519 (a key pair)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l header -d 'Rename the signature header (schemes with one header)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l set -d 'Override or add a field by dot path. VALUE is JSON when it looks like JSON (a number, or starts with [ { "), else a string. Repeatable' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l set-str -d 'Like --set, VALUE always a string (applied after --set). Repeatable' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l payload -d 'Send this file\'s bytes verbatim instead of a sample (- for standard input)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -s H -d 'An extra request header, `Name: value`; several lines in one -H are several headers. Repeatable' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l headers-file -d 'Read extra request headers from a file, one `Name: value` a line' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l timeout -d 'Budget for each attempt, answer included (the providers\' is 5 s)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l retries -d 'Retries after a failed attempt (connection errors, timeouts, 5xx, 408, 429); 5 rehearses production' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l backoff -d 'First backoff ceiling; it doubles each retry, with full jitter' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l max-backoff -d 'Longest wait between attempts, Retry-After included' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l count -d 'Bulk mode: send N events (round-robin over the types), each with a unique id' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l concurrency -d 'Bulk mode: deliveries in flight at once [default: 8]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l rate -d 'Bulk mode: deliveries started per second at most' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l all -d 'Send every event type of the catalog'
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l insecure -d 'Accept self-signed and otherwise invalid TLS certificates'
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l json -d 'Print one JSON object per delivery on stdout (with send --count: one summary)'
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -s v -l verbose -d 'Show request and response headers and the whole response body'
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -l dry-run -d 'Print the exact request and a ready-to-paste curl command; send nothing'
complete -c hookctl -n "__fish_hookctl_using_subcommand send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l port -d 'Port to listen on; 0 picks a free one' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l host -d 'Address to bind; 0.0.0.0 exposes the listener to the network' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l path -d 'Only this path takes webhooks (others get 404) [default: any path]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l secret -d 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l secret-file -d 'Read the secret from a file (one trailing newline is ignored)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l public-key -d 'Verify with this public key, as the provider shows it (base64, `whpk_…`) or PEM: sendgrid, telnyx, and standard or svix `v1a`' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l public-key-file -d 'Read the public key from a file' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l provider -d 'The provider whose events, body format and signature to use [default: ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l scheme -d 'Signature scheme, to sign another way than the provider does [default: the provider\'s]' -r -f -a "ekdsend\t'EKDSend: `X-EKDSend-Signature: sha256=<hex>` (the default)'
keplars\t'Keplars: bare hex in `X-Keplars-Signature`; Keplars-shaped email events'
github\t'GitHub: `X-Hub-Signature-256: sha256=<hex>`'
standard\t'Standard Webhooks: webhook-id, webhook-timestamp, `webhook-signature: v1,<base64>`'
svix\t'Svix and Resend: Standard Webhooks as svix-id, svix-timestamp, svix-signature'
stripe\t'Stripe: `Stripe-Signature: t=<unix>,v1=<hex>`'
twilio\t'Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 of the URL and the sorted parameters (needs --url)'
plivo\t'Plivo: `X-Plivo-Signature-V3` and `-V2` with their nonces, base64 HMAC-SHA256 (needs --url)'
vonage\t'Vonage: `Authorization: Bearer <JWT>`, HS256 with the signature secret, the body\'s SHA-256 in its claims'
mailgun\t'Mailgun: the hex HMAC of timestamp + token, in the body\'s `signature` object'
basic\t'HTTP basic auth, as Postmark sends it: no signature (credentials from --basic-auth)'
sendgrid\t'SendGrid: ECDSA P-256 in X-Twilio-Email-Event-Webhook-Signature (a key pair)'
telnyx\t'Telnyx: Ed25519 in telnyx-signature-ed25519 (a key pair)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l header -d 'Rename the signature header (schemes with one header)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l basic-auth -d 'The user name and password the webhook URL carries [env: HOOKCTL_BASIC_AUTH]; arguments show in `ps`, the variable does not' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l tolerance -d 'How far a signed timestamp may be from now, or `off` [default: 5m]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l public-url -d 'The URL the provider is configured with (a tunnel\'s public https URL): twilio and plivo signatures are checked against its scheme and host with the path and query each request arrived with [default: the listener\'s own URL]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l status -d 'Status code of the answer (200 to 599)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l delay -d 'Wait before answering: milliseconds, or a duration like 6s (at most 1h)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l response-body -d 'Body of the answer' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l fail-first -d 'Answer 500 to the first N deliveries of each event id (or, without one, of each body), then as usual' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l forward-to -d 'Relay each webhook unchanged to a local app and answer with the app\'s answer' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l save -d 'Save every request (headers and raw body) as one file in DIR, for `hookctl replay`' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l max-events -d 'Stop after N deliveries (405, 413 and other refusals do not count)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l timeout -d 'Stop after this long' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l max-body -d 'Largest body accepted; larger ones get 413 (e.g. 1MiB, 64KiB, 5000)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l reject-invalid -d 'Answer 401 to a bad or missing signature, as the provider\'s sample handler does'
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l json -d 'One JSON line per request on stdout (the human display is then off)'
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l compact -d 'Leave out the pretty-printed body'
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -s v -l verbose -d 'Show the request headers too'
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -l show-credentials -d 'Show credential headers (Authorization, Cookie, any holding the secret) as received in -v and --json; --save always keeps them'
complete -c hookctl -n "__fish_hookctl_using_subcommand listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l url -d 'The endpoint to POST to' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l secret -d 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l secret-file -d 'Read the secret from a file (one trailing newline is ignored)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l private-key -d 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l provider -d 'The provider whose events, body format and signature to use [default: ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l scheme -d 'Signature scheme, to sign another way than the provider does [default: the provider\'s]' -r -f -a "ekdsend\t'EKDSend: `X-EKDSend-Signature: sha256=<hex>` (the default)'
keplars\t'Keplars: bare hex in `X-Keplars-Signature`; Keplars-shaped email events'
github\t'GitHub: `X-Hub-Signature-256: sha256=<hex>`'
standard\t'Standard Webhooks: webhook-id, webhook-timestamp, `webhook-signature: v1,<base64>`'
svix\t'Svix and Resend: Standard Webhooks as svix-id, svix-timestamp, svix-signature'
stripe\t'Stripe: `Stripe-Signature: t=<unix>,v1=<hex>`'
twilio\t'Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 of the URL and the sorted parameters (needs --url)'
plivo\t'Plivo: `X-Plivo-Signature-V3` and `-V2` with their nonces, base64 HMAC-SHA256 (needs --url)'
vonage\t'Vonage: `Authorization: Bearer <JWT>`, HS256 with the signature secret, the body\'s SHA-256 in its claims'
mailgun\t'Mailgun: the hex HMAC of timestamp + token, in the body\'s `signature` object'
basic\t'HTTP basic auth, as Postmark sends it: no signature (credentials from --basic-auth)'
sendgrid\t'SendGrid: ECDSA P-256 in X-Twilio-Email-Event-Webhook-Signature (a key pair)'
telnyx\t'Telnyx: Ed25519 in telnyx-signature-ed25519 (a key pair)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l header -d 'Rename the signature header (schemes with one header)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l timeout -d 'Budget for each attempt, answer included (the providers\' is 5 s)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l retries -d 'Retries after a failed attempt (connection errors, timeouts, 5xx, 408, 429); 5 rehearses production' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l backoff -d 'First backoff ceiling; it doubles each retry, with full jitter' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l max-backoff -d 'Longest wait between attempts, Retry-After included' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l as-is -d 'Send the saved headers and body byte for byte, signature included'
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l insecure -d 'Accept self-signed and otherwise invalid TLS certificates'
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -l json -d 'Print one JSON object per delivery on stdout (with send --count: one summary)'
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -s v -l verbose -d 'Show request and response headers and the whole response body'
complete -c hookctl -n "__fish_hookctl_using_subcommand replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l url -d 'The endpoint to check' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l secret -d 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l secret-file -d 'Read the secret from a file (one trailing newline is ignored)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l private-key -d 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l provider -d 'The provider whose events, body format and signature to use [default: ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l scheme -d 'Signature scheme, to sign another way than the provider does [default: the provider\'s]' -r -f -a "ekdsend\t'EKDSend: `X-EKDSend-Signature: sha256=<hex>` (the default)'
keplars\t'Keplars: bare hex in `X-Keplars-Signature`; Keplars-shaped email events'
github\t'GitHub: `X-Hub-Signature-256: sha256=<hex>`'
standard\t'Standard Webhooks: webhook-id, webhook-timestamp, `webhook-signature: v1,<base64>`'
svix\t'Svix and Resend: Standard Webhooks as svix-id, svix-timestamp, svix-signature'
stripe\t'Stripe: `Stripe-Signature: t=<unix>,v1=<hex>`'
twilio\t'Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 of the URL and the sorted parameters (needs --url)'
plivo\t'Plivo: `X-Plivo-Signature-V3` and `-V2` with their nonces, base64 HMAC-SHA256 (needs --url)'
vonage\t'Vonage: `Authorization: Bearer <JWT>`, HS256 with the signature secret, the body\'s SHA-256 in its claims'
mailgun\t'Mailgun: the hex HMAC of timestamp + token, in the body\'s `signature` object'
basic\t'HTTP basic auth, as Postmark sends it: no signature (credentials from --basic-auth)'
sendgrid\t'SendGrid: ECDSA P-256 in X-Twilio-Email-Event-Webhook-Signature (a key pair)'
telnyx\t'Telnyx: Ed25519 in telnyx-signature-ed25519 (a key pair)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l header -d 'Rename the signature header (schemes with one header)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l event -d 'The event type to send [default: email.delivered]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l timeout -d 'Budget for each answer (the providers\' is 5 s)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l public-url -d 'The URL the provider is configured with (a tunnel\'s public https URL) when --url is where it forwards to: twilio and plivo signatures are made over it, and check 16 sends them with the X-Forwarded-Proto and X-Forwarded-Host a proxy adds [default: --url]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l only -d 'Run only these checks, e.g. 1,2,5' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l skip -d 'Skip these checks, e.g. 7,8' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l junit -d 'Also write the report card to FILE as JUnit XML (one test case per check), for CI' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l insecure -d 'Accept self-signed and otherwise invalid TLS certificates'
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l strict -d 'Warnings fail too'
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -l json -d 'Print the report card as one JSON object'
complete -c hookctl -n "__fish_hookctl_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand demo" -l provider -d 'The provider to demonstrate [default: ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand demo" -l scheme -d 'The scheme to demonstrate [default: the provider\'s]' -r -f -a "ekdsend\t'EKDSend: `X-EKDSend-Signature: sha256=<hex>` (the default)'
keplars\t'Keplars: bare hex in `X-Keplars-Signature`; Keplars-shaped email events'
github\t'GitHub: `X-Hub-Signature-256: sha256=<hex>`'
standard\t'Standard Webhooks: webhook-id, webhook-timestamp, `webhook-signature: v1,<base64>`'
svix\t'Svix and Resend: Standard Webhooks as svix-id, svix-timestamp, svix-signature'
stripe\t'Stripe: `Stripe-Signature: t=<unix>,v1=<hex>`'
twilio\t'Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 of the URL and the sorted parameters (needs --url)'
plivo\t'Plivo: `X-Plivo-Signature-V3` and `-V2` with their nonces, base64 HMAC-SHA256 (needs --url)'
vonage\t'Vonage: `Authorization: Bearer <JWT>`, HS256 with the signature secret, the body\'s SHA-256 in its claims'
mailgun\t'Mailgun: the hex HMAC of timestamp + token, in the body\'s `signature` object'
basic\t'HTTP basic auth, as Postmark sends it: no signature (credentials from --basic-auth)'
sendgrid\t'SendGrid: ECDSA P-256 in X-Twilio-Email-Event-Webhook-Signature (a key pair)'
telnyx\t'Telnyx: Ed25519 in telnyx-signature-ed25519 (a key pair)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand demo" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and not __fish_seen_subcommand_from list show run from help" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and not __fish_seen_subcommand_from list show run from help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and not __fish_seen_subcommand_from list show run from help" -f -a "list" -d 'List the built-in lifecycles of each provider'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and not __fish_seen_subcommand_from list show run from help" -f -a "show" -d 'Print a built-in lifecycle\'s TOML, to copy and edit'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and not __fish_seen_subcommand_from list show run from help" -f -a "run" -d 'Send a lifecycle\'s steps, signed, and report each delivery'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and not __fish_seen_subcommand_from list show run from help" -f -a "from" -d 'Turn requests saved by `listen --save` into a scenario file that replays them fresh'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and not __fish_seen_subcommand_from list show run from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from list" -l provider -d 'List only this provider\'s built-ins [default: every provider\'s]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from list" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from list" -l json -d 'Print a JSON array of {"provider","name","description","steps"}'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from show" -l provider -d 'The provider whose built-in to print [default: ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from show" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l url -d 'The endpoint to POST to' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l secret -d 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l secret-file -d 'Read the secret from a file (one trailing newline is ignored)' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l private-key -d 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l provider -d 'The provider whose events, body format and signature to use [default: ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l scheme -d 'Signature scheme, to sign another way than the provider does [default: the provider\'s]' -r -f -a "ekdsend\t'EKDSend: `X-EKDSend-Signature: sha256=<hex>` (the default)'
keplars\t'Keplars: bare hex in `X-Keplars-Signature`; Keplars-shaped email events'
github\t'GitHub: `X-Hub-Signature-256: sha256=<hex>`'
standard\t'Standard Webhooks: webhook-id, webhook-timestamp, `webhook-signature: v1,<base64>`'
svix\t'Svix and Resend: Standard Webhooks as svix-id, svix-timestamp, svix-signature'
stripe\t'Stripe: `Stripe-Signature: t=<unix>,v1=<hex>`'
twilio\t'Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 of the URL and the sorted parameters (needs --url)'
plivo\t'Plivo: `X-Plivo-Signature-V3` and `-V2` with their nonces, base64 HMAC-SHA256 (needs --url)'
vonage\t'Vonage: `Authorization: Bearer <JWT>`, HS256 with the signature secret, the body\'s SHA-256 in its claims'
mailgun\t'Mailgun: the hex HMAC of timestamp + token, in the body\'s `signature` object'
basic\t'HTTP basic auth, as Postmark sends it: no signature (credentials from --basic-auth)'
sendgrid\t'SendGrid: ECDSA P-256 in X-Twilio-Email-Event-Webhook-Signature (a key pair)'
telnyx\t'Telnyx: Ed25519 in telnyx-signature-ed25519 (a key pair)'"
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l header -d 'Rename the signature header (schemes with one header)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -s H -d 'An extra request header, `Name: value`; several lines in one -H are several headers. Repeatable' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l headers-file -d 'Read extra request headers from a file, one `Name: value` a line' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l order -d 'The order deliveries go out in' -r -f -a "as-written\t'The steps in the order written'
reverse\t'The last step first'
shuffle\t'A random order (repeat it with --seed)'
concurrent\t'All deliveries at once'"
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l seed -d 'Seed for --order shuffle, to repeat a shuffle [default: a random one, printed]' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l duplicate -d 'Deliver every step K extra times: the same bytes and event id, re-signed, as a provider\'s retries' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l gap -d 'Real wait between two deliveries (added to a step\'s own `delay`)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l timeout -d 'Budget for each attempt, answer included (the providers\' is 5 s)' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l retries -d 'Retries after a failed attempt (connection errors, timeouts, 5xx, 408, 429); 5 rehearses production' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l backoff -d 'First backoff ceiling; it doubles each retry, with full jitter' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l max-backoff -d 'Longest wait between attempts, Retry-After included' -r
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l insecure -d 'Accept self-signed and otherwise invalid TLS certificates'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l json -d 'Print one JSON object per delivery on stdout (with send --count: one summary)'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Show request and response headers and the whole response body'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -l dry-run -d 'Print the exact requests and ready-to-paste curl commands; send nothing'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from from" -l provider -d 'The provider that sent them [default: the one their signature headers or first body name, else ekdsend]' -r -f -a "ekdsend\t''
keplars\t''
twilio\t''
plivo\t''
resend\t''
vonage\t''
mailgun\t''
postmark\t''
sendgrid\t''
telnyx\t''"
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from from" -s o -l out -d 'Write the scenario file here instead of to stdout' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from from" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from from" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the built-in lifecycles of each provider'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a built-in lifecycle\'s TOML, to copy and edit'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from help" -f -a "run" -d 'Send a lifecycle\'s steps, signed, and report each delivery'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from help" -f -a "from" -d 'Turn requests saved by `listen --save` into a scenario file that replays them fresh'
complete -c hookctl -n "__fish_hookctl_using_subcommand scenario; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hookctl -n "__fish_hookctl_using_subcommand keygen" -l provider -d 'The provider whose kind of key pair to make' -r -f -a "sendgrid\t'SendGrid: ECDSA P-256; the public key as base64 of its DER SubjectPublicKeyInfo'
telnyx\t'Telnyx: Ed25519; the public key as base64 of its 32 bytes'
standard\t'Standard Webhooks `v1a`: Ed25519; the public key as `whpk_<base64>`'"
complete -c hookctl -n "__fish_hookctl_using_subcommand keygen" -l out -d 'Write the private key (PEM, readable by its owner only) here [default: NAME.pem]' -r -F
complete -c hookctl -n "__fish_hookctl_using_subcommand keygen" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand keygen" -l force -d 'Overwrite the file when it exists'
complete -c hookctl -n "__fish_hookctl_using_subcommand keygen" -l json -d 'Print `{"private_key_file", "public_key"}`'
complete -c hookctl -n "__fish_hookctl_using_subcommand keygen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand completions" -l color -d 'When to colour the output' -r -f -a "auto\t'Colour when writing to a terminal and NO_COLOR is not set'
always\t'Always colour, even into a pipe'
never\t'Never colour'"
complete -c hookctl -n "__fish_hookctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "events" -d 'List the event types providers send, with their descriptions'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "sample" -d 'Print a realistic sample event of a type'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "sign" -d 'Print the signature header(s) for a payload, ready for `curl -H`'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "verify" -d 'Check a signature against a payload, and explain a mismatch'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "send" -d 'Sign and POST sample events to an endpoint, as the provider\'s "Test Endpoint" button does'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "listen" -d 'Run a temporary local listener that verifies and pretty-prints incoming webhooks'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "replay" -d 'Send requests saved by `listen --save` again'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "check" -d 'Grade an endpoint like a provider would: signatures, tampering, replays, duplicates, latency'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "demo" -d 'See the whole tool in one command: a local listener, every event sent to it, a check'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "scenario" -d 'Run whole lifecycles (sent, delivered, opened…) from built-ins or your own files, in any order'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "keygen" -d 'Make a key pair for a public-key provider: write the private key, print the public one'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and not __fish_seen_subcommand_from events sample sign verify send listen replay check demo scenario keygen completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and __fish_seen_subcommand_from scenario" -f -a "list" -d 'List the built-in lifecycles of each provider'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and __fish_seen_subcommand_from scenario" -f -a "show" -d 'Print a built-in lifecycle\'s TOML, to copy and edit'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and __fish_seen_subcommand_from scenario" -f -a "run" -d 'Send a lifecycle\'s steps, signed, and report each delivery'
complete -c hookctl -n "__fish_hookctl_using_subcommand help; and __fish_seen_subcommand_from scenario" -f -a "from" -d 'Turn requests saved by `listen --save` into a scenario file that replays them fresh'
