
use builtin;
use str;

set edit:completion:arg-completer[hookctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'hookctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'hookctl'= {
            cand --color 'When to colour the output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand events 'List the event types providers send, with their descriptions'
            cand sample 'Print a realistic sample event of a type'
            cand sign 'Print the signature header(s) for a payload, ready for `curl -H`'
            cand verify 'Check a signature against a payload, and explain a mismatch'
            cand send 'Sign and POST sample events to an endpoint, as the provider''s "Test Endpoint" button does'
            cand listen 'Run a temporary local listener that verifies and pretty-prints incoming webhooks'
            cand replay 'Send requests saved by `listen --save` again'
            cand check 'Grade an endpoint like a provider would: signatures, tampering, replays, duplicates, latency'
            cand demo 'See the whole tool in one command: a local listener, every event sent to it, a check'
            cand scenario 'Run whole lifecycles (sent, delivered, opened…) from built-ins or your own files, in any order'
            cand keygen 'Make a key pair for a public-key provider: write the private key, print the public one'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hookctl;events'= {
            cand --provider 'List this provider''s events [default: ekdsend]'
            cand --color 'When to colour the output'
            cand --all 'List every provider''s events, each under its provider'
            cand --json 'Print a JSON array of {\"type\",\"description\"}'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;sample'= {
            cand --set 'Override or add a field by dot path. VALUE is JSON when it looks like JSON (a number, or starts with [ { "), else a string. Repeatable'
            cand --set-str 'Like --set, VALUE always a string (applied after --set). Repeatable'
            cand --provider 'The provider whose event to print [default: ekdsend]'
            cand --scheme 'Shape the event as this scheme''s provider does (keplars uses its own envelope)'
            cand --color 'When to colour the output'
            cand --compact 'One compact line, exactly the bytes hookctl would send (the default when piped)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;sign'= {
            cand --secret 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`'
            cand --secret-file 'Read the secret from a file (one trailing newline is ignored)'
            cand --private-key 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`'
            cand --provider 'The provider whose events, body format and signature to use [default: ekdsend]'
            cand --scheme 'Signature scheme, to sign another way than the provider does [default: the provider''s]'
            cand --header 'Rename the signature header (schemes with one header)'
            cand --payload 'The exact bytes to sign: a file, or - for standard input'
            cand --set 'Override or add a field by dot path. VALUE is JSON when it looks like JSON (a number, or starts with [ { "), else a string. Repeatable'
            cand --set-str 'Like --set, VALUE always a string (applied after --set). Repeatable'
            cand --timestamp 'Unix time to sign with (standard, stripe, sendgrid, telnyx, mailgun) [default: now]'
            cand --id 'Message id to sign with (standard) [default: the payload''s "id", else a fresh msg_ id]'
            cand --url 'The full URL the provider requests (twilio, plivo sign it): the one it is configured with'
            cand --max-payload 'Largest payload read; a larger one is refused (e.g. 64MiB, 1GiB)'
            cand --color 'When to colour the output'
            cand --json 'Print {"headers":{…},"body_sha256":…} (plus "body" for a sample)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;verify'= {
            cand --secret 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`'
            cand --secret-file 'Read the secret from a file (one trailing newline is ignored)'
            cand --public-key 'Verify with this public key, as the provider shows it (base64, `whpk_…`) or PEM: sendgrid, telnyx, and standard or svix `v1a`'
            cand --public-key-file 'Read the public key from a file'
            cand --provider 'The provider whose events, body format and signature to use [default: ekdsend]'
            cand --scheme 'Signature scheme, to sign another way than the provider does [default: the provider''s]'
            cand --header 'Rename the signature header (schemes with one header)'
            cand --basic-auth 'The user name and password the webhook URL carries [env: HOOKCTL_BASIC_AUTH]; arguments show in `ps`, the variable does not'
            cand --payload 'The exact bytes received: a file, or - for standard input'
            cand --signature 'The signature header''s value'
            cand -H 'A received header, `Name: value`, as a listener shows it; several lines in one -H are several headers. Repeatable; picks the scheme if --scheme is not given'
            cand --headers-file 'Read received headers from a file, one `Name: value` a line'
            cand --max-payload 'Largest payload read; a larger one is refused (e.g. 64MiB, 1GiB)'
            cand --timestamp 'Unix time of the signature, with --signature for standard, sendgrid and telnyx'
            cand --id 'Message id, with --signature for standard'
            cand --url 'The full URL the provider requested (twilio, plivo sign it): the one it is configured with, not the one behind a proxy or tunnel'
            cand --tolerance 'How far a signed timestamp may be from now, or `off` [default: 5m]'
            cand --color 'When to colour the output'
            cand --json 'Print {"valid","scheme","reason","hint"}'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;send'= {
            cand --url 'The endpoint to POST to'
            cand --secret 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`'
            cand --secret-file 'Read the secret from a file (one trailing newline is ignored)'
            cand --private-key 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`'
            cand --provider 'The provider whose events, body format and signature to use [default: ekdsend]'
            cand --scheme 'Signature scheme, to sign another way than the provider does [default: the provider''s]'
            cand --header 'Rename the signature header (schemes with one header)'
            cand --set 'Override or add a field by dot path. VALUE is JSON when it looks like JSON (a number, or starts with [ { "), else a string. Repeatable'
            cand --set-str 'Like --set, VALUE always a string (applied after --set). Repeatable'
            cand --payload 'Send this file''s bytes verbatim instead of a sample (- for standard input)'
            cand -H 'An extra request header, `Name: value`; several lines in one -H are several headers. Repeatable'
            cand --headers-file 'Read extra request headers from a file, one `Name: value` a line'
            cand --timeout 'Budget for each attempt, answer included (the providers'' is 5 s)'
            cand --retries 'Retries after a failed attempt (connection errors, timeouts, 5xx, 408, 429); 5 rehearses production'
            cand --backoff 'First backoff ceiling; it doubles each retry, with full jitter'
            cand --max-backoff 'Longest wait between attempts, Retry-After included'
            cand --count 'Bulk mode: send N events (round-robin over the types), each with a unique id'
            cand --concurrency 'Bulk mode: deliveries in flight at once [default: 8]'
            cand --rate 'Bulk mode: deliveries started per second at most'
            cand --color 'When to colour the output'
            cand --all 'Send every event type of the catalog'
            cand --insecure 'Accept self-signed and otherwise invalid TLS certificates'
            cand --json 'Print one JSON object per delivery on stdout (with send --count: one summary)'
            cand -v 'Show request and response headers and the whole response body'
            cand --verbose 'Show request and response headers and the whole response body'
            cand --dry-run 'Print the exact request and a ready-to-paste curl command; send nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;listen'= {
            cand --port 'Port to listen on; 0 picks a free one'
            cand --host 'Address to bind; 0.0.0.0 exposes the listener to the network'
            cand --path 'Only this path takes webhooks (others get 404) [default: any path]'
            cand --secret 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`'
            cand --secret-file 'Read the secret from a file (one trailing newline is ignored)'
            cand --public-key 'Verify with this public key, as the provider shows it (base64, `whpk_…`) or PEM: sendgrid, telnyx, and standard or svix `v1a`'
            cand --public-key-file 'Read the public key from a file'
            cand --provider 'The provider whose events, body format and signature to use [default: ekdsend]'
            cand --scheme 'Signature scheme, to sign another way than the provider does [default: the provider''s]'
            cand --header 'Rename the signature header (schemes with one header)'
            cand --basic-auth 'The user name and password the webhook URL carries [env: HOOKCTL_BASIC_AUTH]; arguments show in `ps`, the variable does not'
            cand --tolerance 'How far a signed timestamp may be from now, or `off` [default: 5m]'
            cand --public-url 'The URL the provider is configured with (a tunnel''s public https URL): twilio and plivo signatures are checked against its scheme and host with the path and query each request arrived with [default: the listener''s own URL]'
            cand --status 'Status code of the answer (200 to 599)'
            cand --delay 'Wait before answering: milliseconds, or a duration like 6s (at most 1h)'
            cand --response-body 'Body of the answer'
            cand --fail-first 'Answer 500 to the first N deliveries of each event id (or, without one, of each body), then as usual'
            cand --forward-to 'Relay each webhook unchanged to a local app and answer with the app''s answer'
            cand --save 'Save every request (headers and raw body) as one file in DIR, for `hookctl replay`'
            cand --max-events 'Stop after N deliveries (405, 413 and other refusals do not count)'
            cand --timeout 'Stop after this long'
            cand --max-body 'Largest body accepted; larger ones get 413 (e.g. 1MiB, 64KiB, 5000)'
            cand --color 'When to colour the output'
            cand --reject-invalid 'Answer 401 to a bad or missing signature, as the provider''s sample handler does'
            cand --json 'One JSON line per request on stdout (the human display is then off)'
            cand --compact 'Leave out the pretty-printed body'
            cand -v 'Show the request headers too'
            cand --verbose 'Show the request headers too'
            cand --show-credentials 'Show credential headers (Authorization, Cookie, any holding the secret) as received in -v and --json; --save always keeps them'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;replay'= {
            cand --url 'The endpoint to POST to'
            cand --secret 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`'
            cand --secret-file 'Read the secret from a file (one trailing newline is ignored)'
            cand --private-key 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`'
            cand --provider 'The provider whose events, body format and signature to use [default: ekdsend]'
            cand --scheme 'Signature scheme, to sign another way than the provider does [default: the provider''s]'
            cand --header 'Rename the signature header (schemes with one header)'
            cand --timeout 'Budget for each attempt, answer included (the providers'' is 5 s)'
            cand --retries 'Retries after a failed attempt (connection errors, timeouts, 5xx, 408, 429); 5 rehearses production'
            cand --backoff 'First backoff ceiling; it doubles each retry, with full jitter'
            cand --max-backoff 'Longest wait between attempts, Retry-After included'
            cand --color 'When to colour the output'
            cand --as-is 'Send the saved headers and body byte for byte, signature included'
            cand --insecure 'Accept self-signed and otherwise invalid TLS certificates'
            cand --json 'Print one JSON object per delivery on stdout (with send --count: one summary)'
            cand -v 'Show request and response headers and the whole response body'
            cand --verbose 'Show request and response headers and the whole response body'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;check'= {
            cand --url 'The endpoint to check'
            cand --secret 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`'
            cand --secret-file 'Read the secret from a file (one trailing newline is ignored)'
            cand --private-key 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`'
            cand --provider 'The provider whose events, body format and signature to use [default: ekdsend]'
            cand --scheme 'Signature scheme, to sign another way than the provider does [default: the provider''s]'
            cand --header 'Rename the signature header (schemes with one header)'
            cand --event 'The event type to send [default: email.delivered]'
            cand --timeout 'Budget for each answer (the providers'' is 5 s)'
            cand --public-url 'The URL the provider is configured with (a tunnel''s public https URL) when --url is where it forwards to: twilio and plivo signatures are made over it, and check 16 sends them with the X-Forwarded-Proto and X-Forwarded-Host a proxy adds [default: --url]'
            cand --only 'Run only these checks, e.g. 1,2,5'
            cand --skip 'Skip these checks, e.g. 7,8'
            cand --junit 'Also write the report card to FILE as JUnit XML (one test case per check), for CI'
            cand --color 'When to colour the output'
            cand --insecure 'Accept self-signed and otherwise invalid TLS certificates'
            cand --strict 'Warnings fail too'
            cand --json 'Print the report card as one JSON object'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;demo'= {
            cand --provider 'The provider to demonstrate [default: ekdsend]'
            cand --scheme 'The scheme to demonstrate [default: the provider''s]'
            cand --color 'When to colour the output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;scenario'= {
            cand --color 'When to colour the output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List the built-in lifecycles of each provider'
            cand show 'Print a built-in lifecycle''s TOML, to copy and edit'
            cand run 'Send a lifecycle''s steps, signed, and report each delivery'
            cand from 'Turn requests saved by `listen --save` into a scenario file that replays them fresh'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hookctl;scenario;list'= {
            cand --provider 'List only this provider''s built-ins [default: every provider''s]'
            cand --color 'When to colour the output'
            cand --json 'Print a JSON array of {"provider","name","description","steps"}'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;scenario;show'= {
            cand --provider 'The provider whose built-in to print [default: ekdsend]'
            cand --color 'When to colour the output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;scenario;run'= {
            cand --url 'The endpoint to POST to'
            cand --secret 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`'
            cand --secret-file 'Read the secret from a file (one trailing newline is ignored)'
            cand --private-key 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`'
            cand --provider 'The provider whose events, body format and signature to use [default: ekdsend]'
            cand --scheme 'Signature scheme, to sign another way than the provider does [default: the provider''s]'
            cand --header 'Rename the signature header (schemes with one header)'
            cand -H 'An extra request header, `Name: value`; several lines in one -H are several headers. Repeatable'
            cand --headers-file 'Read extra request headers from a file, one `Name: value` a line'
            cand --order 'The order deliveries go out in'
            cand --seed 'Seed for --order shuffle, to repeat a shuffle [default: a random one, printed]'
            cand --duplicate 'Deliver every step K extra times: the same bytes and event id, re-signed, as a provider''s retries'
            cand --gap 'Real wait between two deliveries (added to a step''s own `delay`)'
            cand --timeout 'Budget for each attempt, answer included (the providers'' is 5 s)'
            cand --retries 'Retries after a failed attempt (connection errors, timeouts, 5xx, 408, 429); 5 rehearses production'
            cand --backoff 'First backoff ceiling; it doubles each retry, with full jitter'
            cand --max-backoff 'Longest wait between attempts, Retry-After included'
            cand --color 'When to colour the output'
            cand --insecure 'Accept self-signed and otherwise invalid TLS certificates'
            cand --json 'Print one JSON object per delivery on stdout (with send --count: one summary)'
            cand -v 'Show request and response headers and the whole response body'
            cand --verbose 'Show request and response headers and the whole response body'
            cand --dry-run 'Print the exact requests and ready-to-paste curl commands; send nothing'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;scenario;from'= {
            cand --provider 'The provider that sent them [default: the one their signature headers or first body name, else ekdsend]'
            cand -o 'Write the scenario file here instead of to stdout'
            cand --out 'Write the scenario file here instead of to stdout'
            cand --color 'When to colour the output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;scenario;help'= {
            cand list 'List the built-in lifecycles of each provider'
            cand show 'Print a built-in lifecycle''s TOML, to copy and edit'
            cand run 'Send a lifecycle''s steps, signed, and report each delivery'
            cand from 'Turn requests saved by `listen --save` into a scenario file that replays them fresh'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hookctl;scenario;help;list'= {
        }
        &'hookctl;scenario;help;show'= {
        }
        &'hookctl;scenario;help;run'= {
        }
        &'hookctl;scenario;help;from'= {
        }
        &'hookctl;scenario;help;help'= {
        }
        &'hookctl;keygen'= {
            cand --provider 'The provider whose kind of key pair to make'
            cand --out 'Write the private key (PEM, readable by its owner only) here [default: NAME.pem]'
            cand --color 'When to colour the output'
            cand --force 'Overwrite the file when it exists'
            cand --json 'Print `{"private_key_file", "public_key"}`'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;completions'= {
            cand --color 'When to colour the output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hookctl;help'= {
            cand events 'List the event types providers send, with their descriptions'
            cand sample 'Print a realistic sample event of a type'
            cand sign 'Print the signature header(s) for a payload, ready for `curl -H`'
            cand verify 'Check a signature against a payload, and explain a mismatch'
            cand send 'Sign and POST sample events to an endpoint, as the provider''s "Test Endpoint" button does'
            cand listen 'Run a temporary local listener that verifies and pretty-prints incoming webhooks'
            cand replay 'Send requests saved by `listen --save` again'
            cand check 'Grade an endpoint like a provider would: signatures, tampering, replays, duplicates, latency'
            cand demo 'See the whole tool in one command: a local listener, every event sent to it, a check'
            cand scenario 'Run whole lifecycles (sent, delivered, opened…) from built-ins or your own files, in any order'
            cand keygen 'Make a key pair for a public-key provider: write the private key, print the public one'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hookctl;help;events'= {
        }
        &'hookctl;help;sample'= {
        }
        &'hookctl;help;sign'= {
        }
        &'hookctl;help;verify'= {
        }
        &'hookctl;help;send'= {
        }
        &'hookctl;help;listen'= {
        }
        &'hookctl;help;replay'= {
        }
        &'hookctl;help;check'= {
        }
        &'hookctl;help;demo'= {
        }
        &'hookctl;help;scenario'= {
            cand list 'List the built-in lifecycles of each provider'
            cand show 'Print a built-in lifecycle''s TOML, to copy and edit'
            cand run 'Send a lifecycle''s steps, signed, and report each delivery'
            cand from 'Turn requests saved by `listen --save` into a scenario file that replays them fresh'
        }
        &'hookctl;help;scenario;list'= {
        }
        &'hookctl;help;scenario;show'= {
        }
        &'hookctl;help;scenario;run'= {
        }
        &'hookctl;help;scenario;from'= {
        }
        &'hookctl;help;keygen'= {
        }
        &'hookctl;help;completions'= {
        }
        &'hookctl;help;help'= {
        }
    ]
    $completions[$command]
}
