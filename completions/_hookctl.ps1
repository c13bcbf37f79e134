
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
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hookctl;events' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of {\"type\",\"description\"}')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;sample' {
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override or add a field by dot path; VALUE is JSON if it parses, else a string. Repeatable')
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
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [default: ekdsend]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Rename the signature header (schemes with one header)')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'The exact bytes to sign: a file, or - for standard input')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Override or add a field by dot path; VALUE is JSON if it parses, else a string. Repeatable')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Unix time to sign with (standard, stripe) [default: now]')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Message id to sign with (standard) [default: the payload''s "id", else a fresh msg_ id]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"headers":{…},"body_sha256":…} (plus "body" for a sample)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hookctl;verify' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Signing secret [env: HOOKCTL_SECRET]. Prefer --secret-file or the variable: arguments show in `ps`')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'Read the secret from a file (one trailing newline is ignored)')
            [CompletionResult]::new('--scheme', '--scheme', [CompletionResultType]::ParameterName, 'Signature scheme [default: ekdsend]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Rename the signature header (schemes with one header)')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'The exact bytes received: a file, or - for standard input')
            [CompletionResult]::new('--signature', '--signature', [CompletionResultType]::ParameterName, 'The signature header''s value')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'A received header, `Name: value`, as a listener shows it. Repeatable; picks the scheme if --scheme is not given')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'Unix time of the signature, with --signature for standard')
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Message id, with --signature for standard')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'How far a signed timestamp may be from now, or `off` [default: 5m]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print {"valid","scheme","reason","hint"}')
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
