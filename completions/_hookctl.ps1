
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'hookctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'hookctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'hookctl' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List the event types providers send, with their descriptions')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Print a realistic sample event of a type')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Print the signature header(s) for a payload, ready for `curl -H`')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a signature against a payload, and explain a mismatch')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Sign and POST sample events to an endpoint, as the provider''s "Test Endpoint" button does')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Run a temporary local listener that verifies and pretty-prints incoming webhooks')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Send requests saved by `listen --save` again')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Grade an endpoint like a provider would: signatures, tampering, replays, duplicates, latency')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'See the whole tool in one command: a local listener, every event sent to it, a check')
            [CompletionResult]::new('scenario', 'scenario', [CompletionResultType]::ParameterValue, 'Run whole lifecycles (sent, delivered, opened…) from built-ins or your own files, in any order')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Make a key pair for a public-key provider: write the private key, print the public one')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hookctl;events' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'List this provider''s events [default: ekdsend]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List every provider''s events, each under its provider')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of {\"type\",\"description\"}')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;sample' {
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override or add a field by dot path. VALUE is JSON when it looks like JSON (a number, or starts with [ { "), else a string. Repeatable')
            [CompletionResult]::new('--set-str', '--set-str', [CompletionResultType]::ParameterName, 'Like --set, VALUE always a string (applied after --set). Repeatable')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider whose event to print [default: ekdsend]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Shape the event as this scheme''s provider does (keplars uses its own envelope)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'One compact line, exactly the bytes hookctl would send (the default when piped)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;sign' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (one trailing newline is ignored)')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider whose events, body format and signature to use [default: ekdsend]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme, to sign another way than the provider does [default: the provider''s]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Rename the signature header (schemes with one header)')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'The exact bytes to sign: a file, or - for standard input')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override or add a field by dot path. VALUE is JSON when it looks like JSON (a number, or starts with [ { "), else a string. Repeatable')
            [CompletionResult]::new('--set-str', '--set-str', [CompletionResultType]::ParameterName, 'Like --set, VALUE always a string (applied after --set). Repeatable')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Unix time to sign with (standard, stripe, sendgrid, telnyx, mailgun) [default: now]')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Message id to sign with (standard) [default: the payload''s "id", else a fresh msg_ id]')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The full URL the provider requests (twilio, plivo sign it): the one it is configured with')
            [CompletionResult]::new('--max-payload', '--max-payload', [CompletionResultType]::ParameterName, 'Largest payload read; a larger one is refused (e.g. 64MiB, 1GiB)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"headers":{…},"body_sha256":…} (plus "body" for a sample)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;verify' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (one trailing newline is ignored)')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Verify with this public key, as the provider shows it (base64, `whpk_…`) or PEM: sendgrid, telnyx, and standard or svix `v1a`')
            [CompletionResult]::new('--public-key-file', '--public-key-file', [CompletionResultType]::ParameterName, 'Read the public key from a file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider whose events, body format and signature to use [default: ekdsend]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme, to sign another way than the provider does [default: the provider''s]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Rename the signature header (schemes with one header)')
            [CompletionResult]::new('--basic-auth', '--basic-auth', [CompletionResultType]::ParameterName, 'The user name and password the webhook URL carries [env: HOOKCTL_BASIC_AUTH]; arguments show in `ps`, the variable does not')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'The exact bytes received: a file, or - for standard input')
            [CompletionResult]::new('--signature', '--signature', [CompletionResultType]::ParameterName, 'The signature header''s value')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'A received header, `Name: value`, as a listener shows it; several lines in one -H are several headers. Repeatable; picks the scheme if --scheme is not given')
            [CompletionResult]::new('--headers-file', '--headers-file', [CompletionResultType]::ParameterName, 'Read received headers from a file, one `Name: value` a line')
            [CompletionResult]::new('--max-payload', '--max-payload', [CompletionResultType]::ParameterName, 'Largest payload read; a larger one is refused (e.g. 64MiB, 1GiB)')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Unix time of the signature, with --signature for standard, sendgrid and telnyx')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Message id, with --signature for standard')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The full URL the provider requested (twilio, plivo sign it): the one it is configured with, not the one behind a proxy or tunnel')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'How far a signed timestamp may be from now, or `off` [default: 5m]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"valid","scheme","reason","hint"}')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;send' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The endpoint to POST to')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (one trailing newline is ignored)')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider whose events, body format and signature to use [default: ekdsend]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme, to sign another way than the provider does [default: the provider''s]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Rename the signature header (schemes with one header)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override or add a field by dot path. VALUE is JSON when it looks like JSON (a number, or starts with [ { "), else a string. Repeatable')
            [CompletionResult]::new('--set-str', '--set-str', [CompletionResultType]::ParameterName, 'Like --set, VALUE always a string (applied after --set). Repeatable')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'Send this file''s bytes verbatim instead of a sample (- for standard input)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'An extra request header, `Name: value`; several lines in one -H are several headers. Repeatable')
            [CompletionResult]::new('--headers-file', '--headers-file', [CompletionResultType]::ParameterName, 'Read extra request headers from a file, one `Name: value` a line')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Budget for each attempt, answer included (the providers'' is 5 s)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries after a failed attempt (connection errors, timeouts, 5xx, 408, 429); 5 rehearses production')
            [CompletionResult]::new('--backoff', '--backoff', [CompletionResultType]::ParameterName, 'First backoff ceiling; it doubles each retry, with full jitter')
            [CompletionResult]::new('--max-backoff', '--max-backoff', [CompletionResultType]::ParameterName, 'Longest wait between attempts, Retry-After included')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Bulk mode: send N events (round-robin over the types), each with a unique id')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Bulk mode: deliveries in flight at once [default: 8]')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Bulk mode: deliveries started per second at most')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Send every event type of the catalog')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Accept self-signed and otherwise invalid TLS certificates')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object per delivery on stdout (with send --count: one summary)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers and the whole response body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers and the whole response body')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact request and a ready-to-paste curl command; send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;listen' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on; 0 picks a free one')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Address to bind; 0.0.0.0 exposes the listener to the network')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Only this path takes webhooks (others get 404) [default: any path]')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (one trailing newline is ignored)')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Verify with this public key, as the provider shows it (base64, `whpk_…`) or PEM: sendgrid, telnyx, and standard or svix `v1a`')
            [CompletionResult]::new('--public-key-file', '--public-key-file', [CompletionResultType]::ParameterName, 'Read the public key from a file')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider whose events, body format and signature to use [default: ekdsend]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme, to sign another way than the provider does [default: the provider''s]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Rename the signature header (schemes with one header)')
            [CompletionResult]::new('--basic-auth', '--basic-auth', [CompletionResultType]::ParameterName, 'The user name and password the webhook URL carries [env: HOOKCTL_BASIC_AUTH]; arguments show in `ps`, the variable does not')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'How far a signed timestamp may be from now, or `off` [default: 5m]')
            [CompletionResult]::new('--public-url', '--public-url', [CompletionResultType]::ParameterName, 'The URL the provider is configured with (a tunnel''s public https URL): twilio and plivo signatures are checked against its scheme and host with the path and query each request arrived with [default: the listener''s own URL]')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Status code of the answer (200 to 599)')
            [CompletionResult]::new('--delay', '--delay', [CompletionResultType]::ParameterName, 'Wait before answering: milliseconds, or a duration like 6s (at most 1h)')
            [CompletionResult]::new('--response-body', '--response-body', [CompletionResultType]::ParameterName, 'Body of the answer')
            [CompletionResult]::new('--fail-first', '--fail-first', [CompletionResultType]::ParameterName, 'Answer 500 to the first N deliveries of each event id (or, without one, of each body), then as usual')
            [CompletionResult]::new('--forward-to', '--forward-to', [CompletionResultType]::ParameterName, 'Relay each webhook unchanged to a local app and answer with the app''s answer')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Save every request (headers and raw body) as one file in DIR, for `hookctl replay`')
            [CompletionResult]::new('--max-events', '--max-events', [CompletionResultType]::ParameterName, 'Stop after N deliveries (405, 413 and other refusals do not count)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop after this long')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest body accepted; larger ones get 413 (e.g. 1MiB, 64KiB, 5000)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--reject-invalid', '--reject-invalid', [CompletionResultType]::ParameterName, 'Answer 401 to a bad or missing signature, as the provider''s sample handler does')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON line per request on stdout (the human display is then off)')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Leave out the pretty-printed body')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the request headers too')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the request headers too')
            [CompletionResult]::new('--show-credentials', '--show-credentials', [CompletionResultType]::ParameterName, 'Show credential headers (Authorization, Cookie, any holding the secret) as received in -v and --json; --save always keeps them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;replay' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The endpoint to POST to')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (one trailing newline is ignored)')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider whose events, body format and signature to use [default: ekdsend]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme, to sign another way than the provider does [default: the provider''s]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Rename the signature header (schemes with one header)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Budget for each attempt, answer included (the providers'' is 5 s)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries after a failed attempt (connection errors, timeouts, 5xx, 408, 429); 5 rehearses production')
            [CompletionResult]::new('--backoff', '--backoff', [CompletionResultType]::ParameterName, 'First backoff ceiling; it doubles each retry, with full jitter')
            [CompletionResult]::new('--max-backoff', '--max-backoff', [CompletionResultType]::ParameterName, 'Longest wait between attempts, Retry-After included')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--as-is', '--as-is', [CompletionResultType]::ParameterName, 'Send the saved headers and body byte for byte, signature included')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Accept self-signed and otherwise invalid TLS certificates')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object per delivery on stdout (with send --count: one summary)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers and the whole response body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers and the whole response body')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;check' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The endpoint to check')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (one trailing newline is ignored)')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider whose events, body format and signature to use [default: ekdsend]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme, to sign another way than the provider does [default: the provider''s]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Rename the signature header (schemes with one header)')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'The event type to send [default: email.delivered]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Budget for each answer (the providers'' is 5 s)')
            [CompletionResult]::new('--public-url', '--public-url', [CompletionResultType]::ParameterName, 'The URL the provider is configured with (a tunnel''s public https URL) when --url is where it forwards to: twilio and plivo signatures are made over it, and check 16 sends them with the X-Forwarded-Proto and X-Forwarded-Host a proxy adds [default: --url]')
            [CompletionResult]::new('--only', '--only', [CompletionResultType]::ParameterName, 'Run only these checks, e.g. 1,2,5')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Skip these checks, e.g. 7,8')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Also write the report card to FILE as JUnit XML (one test case per check), for CI')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Accept self-signed and otherwise invalid TLS certificates')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Warnings fail too')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the report card as one JSON object')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;demo' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider to demonstrate [default: ekdsend]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'The scheme to demonstrate [default: the provider''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;scenario' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in lifecycles of each provider')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a built-in lifecycle''s TOML, to copy and edit')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Send a lifecycle''s steps, signed, and report each delivery')
            [CompletionResult]::new('from', 'from', [CompletionResultType]::ParameterValue, 'Turn requests saved by `listen --save` into a scenario file that replays them fresh')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hookctl;scenario;list' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'List only this provider''s built-ins [default: every provider''s]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of {"provider","name","description","steps"}')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;scenario;show' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider whose built-in to print [default: ekdsend]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;scenario;run' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The endpoint to POST to')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (one trailing newline is ignored)')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Sign with this private key (PEM; `hookctl keygen` writes one): sendgrid, telnyx, and standard or svix `v1a`')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider whose events, body format and signature to use [default: ekdsend]')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme, to sign another way than the provider does [default: the provider''s]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Rename the signature header (schemes with one header)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'An extra request header, `Name: value`; several lines in one -H are several headers. Repeatable')
            [CompletionResult]::new('--headers-file', '--headers-file', [CompletionResultType]::ParameterName, 'Read extra request headers from a file, one `Name: value` a line')
            [CompletionResult]::new('--order', '--order', [CompletionResultType]::ParameterName, 'The order deliveries go out in')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for --order shuffle, to repeat a shuffle [default: a random one, printed]')
            [CompletionResult]::new('--duplicate', '--duplicate', [CompletionResultType]::ParameterName, 'Deliver every step K extra times: the same bytes and event id, re-signed, as a provider''s retries')
            [CompletionResult]::new('--gap', '--gap', [CompletionResultType]::ParameterName, 'Real wait between two deliveries (added to a step''s own `delay`)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Budget for each attempt, answer included (the providers'' is 5 s)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries after a failed attempt (connection errors, timeouts, 5xx, 408, 429); 5 rehearses production')
            [CompletionResult]::new('--backoff', '--backoff', [CompletionResultType]::ParameterName, 'First backoff ceiling; it doubles each retry, with full jitter')
            [CompletionResult]::new('--max-backoff', '--max-backoff', [CompletionResultType]::ParameterName, 'Longest wait between attempts, Retry-After included')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Accept self-signed and otherwise invalid TLS certificates')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object per delivery on stdout (with send --count: one summary)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers and the whole response body')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers and the whole response body')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the exact requests and ready-to-paste curl commands; send nothing')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;scenario;from' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider that sent them [default: the one their signature headers or first body name, else ekdsend]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the scenario file here instead of to stdout')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the scenario file here instead of to stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;scenario;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in lifecycles of each provider')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a built-in lifecycle''s TOML, to copy and edit')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Send a lifecycle''s steps, signed, and report each delivery')
            [CompletionResult]::new('from', 'from', [CompletionResultType]::ParameterValue, 'Turn requests saved by `listen --save` into a scenario file that replays them fresh')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hookctl;scenario;help;list' {
            break
        }
        'hookctl;scenario;help;show' {
            break
        }
        'hookctl;scenario;help;run' {
            break
        }
        'hookctl;scenario;help;from' {
            break
        }
        'hookctl;scenario;help;help' {
            break
        }
        'hookctl;keygen' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider whose kind of key pair to make')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the private key (PEM, readable by its owner only) here [default: NAME.pem]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite the file when it exists')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print `{"private_key_file", "public_key"}`')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;help' {
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List the event types providers send, with their descriptions')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Print a realistic sample event of a type')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Print the signature header(s) for a payload, ready for `curl -H`')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a signature against a payload, and explain a mismatch')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Sign and POST sample events to an endpoint, as the provider''s "Test Endpoint" button does')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Run a temporary local listener that verifies and pretty-prints incoming webhooks')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Send requests saved by `listen --save` again')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Grade an endpoint like a provider would: signatures, tampering, replays, duplicates, latency')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'See the whole tool in one command: a local listener, every event sent to it, a check')
            [CompletionResult]::new('scenario', 'scenario', [CompletionResultType]::ParameterValue, 'Run whole lifecycles (sent, delivered, opened…) from built-ins or your own files, in any order')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Make a key pair for a public-key provider: write the private key, print the public one')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hookctl;help;events' {
            break
        }
        'hookctl;help;sample' {
            break
        }
        'hookctl;help;sign' {
            break
        }
        'hookctl;help;verify' {
            break
        }
        'hookctl;help;send' {
            break
        }
        'hookctl;help;listen' {
            break
        }
        'hookctl;help;replay' {
            break
        }
        'hookctl;help;check' {
            break
        }
        'hookctl;help;demo' {
            break
        }
        'hookctl;help;scenario' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the built-in lifecycles of each provider')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a built-in lifecycle''s TOML, to copy and edit')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Send a lifecycle''s steps, signed, and report each delivery')
            [CompletionResult]::new('from', 'from', [CompletionResultType]::ParameterValue, 'Turn requests saved by `listen --save` into a scenario file that replays them fresh')
            break
        }
        'hookctl;help;scenario;list' {
            break
        }
        'hookctl;help;scenario;show' {
            break
        }
        'hookctl;help;scenario;run' {
            break
        }
        'hookctl;help;scenario;from' {
            break
        }
        'hookctl;help;keygen' {
            break
        }
        'hookctl;help;completions' {
            break
        }
        'hookctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
