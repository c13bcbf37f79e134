use super::*;

fn signer(scheme: Scheme, secret: &str) -> MacSigner {
    MacSigner::new(scheme, &Secret::new(secret).unwrap(), None).unwrap()
}

fn headers(pairs: Vec<(String, String)>) -> Headers {
    pairs.into_iter().collect()
}

const NOW: Policy = Policy {
    now: 1_700_000_000,
    tolerance: Some(DEFAULT_TOLERANCE_SECS),
};

// Source: GitHub Docs, "Validating webhook deliveries", test values.
#[test]
fn github_published_vector() {
    let s = signer(Scheme::Github, "It's a Secret to Everybody");
    let stamp = Stamp {
        id: String::new(),
        timestamp: 0,
    };
    assert_eq!(
        s.sign(b"Hello, World!", &stamp),
        [(
            "X-Hub-Signature-256".to_string(),
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17".to_string()
        )]
    );
}

// Source: standard-webhooks reference libraries' test suite (python/javascript).
#[test]
fn standard_webhooks_published_vector() {
    let s = signer(Scheme::Standard, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    let stamp = Stamp {
        id: "msg_p5jXN8AQM9LWM0D4loKWxJek".into(),
        timestamp: 1614265330,
    };
    let signed = s.sign(br#"{"test": 2432232314}"#, &stamp);
    assert_eq!(
        signed[2].1,
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    );
    let at_signing = Policy {
        now: 1614265330,
        tolerance: Some(300),
    };
    assert_eq!(
        s.verify(&headers(signed), br#"{"test": 2432232314}"#, &at_signing),
        Verdict::Valid
    );
}

#[test]
fn every_scheme_round_trips_and_rejects_a_changed_body() {
    for scheme in Scheme::MAC {
        let s = signer(scheme, "whsec_c2VjcmV0LWtleS1ieXRlcw==");
        let stamp = Stamp {
            id: "msg_1".into(),
            timestamp: NOW.now,
        };
        let h = headers(s.sign(b"{\"a\":1}", &stamp));
        assert_eq!(s.verify(&h, b"{\"a\":1}", &NOW), Verdict::Valid, "{scheme}");
        assert!(
            matches!(s.verify(&h, b"{\"a\":2}", &NOW), Verdict::Invalid(_)),
            "{scheme}"
        );
    }
}

#[test]
fn stale_stripe_signature_is_rejected_with_its_age() {
    let s = signer(Scheme::Stripe, "sk_test");
    let stamp = Stamp {
        id: String::new(),
        timestamp: NOW.now - 600,
    };
    let h = headers(s.sign(b"{}", &stamp));
    let Verdict::Invalid(m) = s.verify(&h, b"{}", &NOW) else {
        panic!("accepted a stale signature")
    };
    assert!(m.reason.contains("10 min old"), "{}", m.reason);
    let ageless = Policy {
        tolerance: None,
        ..NOW
    };
    assert_eq!(s.verify(&h, b"{}", &ageless), Verdict::Valid);
}

#[test]
fn mismatch_hints_name_the_usual_mistakes() {
    let hint = |scheme: Scheme, secret: &str, signed: &[u8], checked: &[u8]| {
        let stamp = Stamp {
            id: "msg_1".into(),
            timestamp: NOW.now,
        };
        let h = headers(signer(scheme, secret).sign(signed, &stamp));
        match signer(scheme, secret).verify(&h, checked, &NOW) {
            Verdict::Invalid(m) => m.hint.unwrap(),
            other => panic!("{other:?}"),
        }
    };
    let pretty = b"{\n  \"a\": 1\n}";
    assert!(
        hint(Scheme::Ekdsend, "s", b"{\"a\":1}", b"{\"a\":1}\n").contains("ends with a newline")
    );
    assert!(
        hint(Scheme::Ekdsend, "s", b"{\"a\":1}\n", b"{\"a\":1}")
            .contains("plus a trailing newline")
    );
    assert!(hint(Scheme::Ekdsend, "s", b"{\"a\":1}", pretty).contains("compact JSON"));
    assert!(hint(Scheme::Ekdsend, "s", pretty, b"{\"a\":1}").contains("pretty-printed"));
    assert!(hint(Scheme::Ekdsend, "s", b"x", b"y").contains("secret or the payload differs"));
}

#[test]
fn whsec_mix_up_is_explained_both_ways() {
    let stamp = Stamp {
        id: "msg_1".into(),
        timestamp: NOW.now,
    };
    let secret = "whsec_c2VjcmV0LWtleS1ieXRlcw==";
    // Signed with the decoded bytes, checked as EKDSend (raw string).
    let decoded = Secret::new("secret-key-bytes").unwrap();
    let h = headers(
        MacSigner::new(Scheme::Ekdsend, &decoded, None)
            .unwrap()
            .sign(b"{}", &stamp),
    );
    let Verdict::Invalid(m) = signer(Scheme::Ekdsend, secret).verify(&h, b"{}", &NOW) else {
        panic!()
    };
    assert!(
        m.hint
            .unwrap()
            .contains("base64-decoded bytes of the whsec_")
    );
    // Signed for Standard with the raw string as the key.
    let raw = Secret::new("d2hzZWNfYzJWamNtVjBMV3RsZVMxaWVYUmxjdz09").unwrap(); // base64("whsec_c2Vj…")
    let h = headers(
        MacSigner::new(Scheme::Standard, &raw, None)
            .unwrap()
            .sign(b"{}", &stamp),
    );
    let Verdict::Invalid(m) = signer(Scheme::Standard, secret).verify(&h, b"{}", &NOW) else {
        panic!()
    };
    assert!(m.hint.unwrap().contains("used as a plain string"));
}

#[test]
fn prefix_and_case_slips_are_named() {
    let s = signer(Scheme::Ekdsend, "s");
    let stamp = Stamp {
        id: String::new(),
        timestamp: 0,
    };
    let good = s.sign(b"{}", &stamp)[0].1.clone();
    let bare = good.trim_start_matches("sha256=").to_string();
    let reason = |value: String| match s.verify(
        &headers(vec![("X-EKDSend-Signature".into(), value)]),
        b"{}",
        &NOW,
    ) {
        Verdict::Invalid(m) => m.reason,
        other => panic!("{other:?}"),
    };
    assert!(reason(bare.clone()).contains("lacks the `sha256=` prefix"));
    assert!(reason(format!("sha256={}", bare.to_uppercase())).contains("uppercase"));
    let k = signer(Scheme::Keplars, "s");
    let Verdict::Invalid(m) = k.verify(
        &headers(vec![("X-Keplars-Signature".into(), good)]),
        b"{}",
        &NOW,
    ) else {
        panic!()
    };
    assert!(m.reason.contains("carries a `sha256=` prefix"));
}

#[test]
fn malformed_headers_are_reported_not_panicked_on() {
    type Case<'a> = (Scheme, &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (
            Scheme::Ekdsend,
            &[("X-EKDSend-Signature", "sha256=zz")],
            "not hex",
        ),
        (
            Scheme::Ekdsend,
            &[("X-EKDSend-Signature", "sha256=abc")],
            "3 hex digits",
        ),
        (Scheme::Ekdsend, &[("X-EKDSend-Signature", "")], "empty"),
        (
            Scheme::Ekdsend,
            &[("X-EKDSend-Signature", "sha1=abc")],
            "should read",
        ),
        (
            Scheme::Ekdsend,
            &[("X-EKDSend-Signature", "a"), ("x-ekdsend-signature", "b")],
            "exactly one",
        ),
        (
            Scheme::Stripe,
            &[("Stripe-Signature", "v1=ab")],
            "no t= timestamp",
        ),
        (
            Scheme::Stripe,
            &[("Stripe-Signature", "t=abc,v1=ab")],
            "not unix seconds",
        ),
        (
            Scheme::Stripe,
            &[("Stripe-Signature", "t=1")],
            "no v1= signature",
        ),
        (
            Scheme::Standard,
            &[
                ("webhook-signature", "v1,@@@"),
                ("webhook-id", "m"),
                ("webhook-timestamp", "1"),
            ],
            "no readable",
        ),
        (
            Scheme::Standard,
            &[("webhook-signature", "v1,AAAA")],
            "webhook-id is missing",
        ),
        (
            Scheme::Standard,
            &[
                ("webhook-signature", "v1,AAAA"),
                ("webhook-id", "m"),
                ("webhook-timestamp", "x"),
            ],
            "unix seconds",
        ),
    ];
    for (scheme, pairs, expected) in cases {
        let h: Headers = pairs.iter().copied().collect();
        match signer(*scheme, "whsec_AAAA").verify(&h, b"{}", &NOW) {
            Verdict::Invalid(m) => assert!(
                m.reason.contains(expected),
                "{scheme}: {} lacks {expected}",
                m.reason
            ),
            other => panic!("{scheme} {pairs:?}: {other:?}"),
        }
    }
}

#[test]
fn missing_header_is_unsigned_unless_another_scheme_signed() {
    let s = signer(Scheme::Ekdsend, "s");
    assert_eq!(s.verify(&Headers::new(), b"{}", &NOW), Verdict::Unsigned);
    let h: Headers = [("Stripe-Signature", "t=1,v1=00")].into_iter().collect();
    let Verdict::Invalid(m) = s.verify(&h, b"{}", &NOW) else {
        panic!()
    };
    assert!(m.hint.unwrap().contains("scheme stripe (Stripe-Signature)"));
    assert_eq!(m.remedy, Some(super::Remedy::Scheme(Scheme::Stripe)));
}

#[test]
fn standard_accepts_any_matching_entry_of_a_long_list() {
    let s = signer(Scheme::Standard, "whsec_AAAA");
    let stamp = Stamp {
        id: "m".into(),
        timestamp: NOW.now,
    };
    let mut h = s.sign(b"{}", &stamp);
    let good = h[2].1.clone();
    h[2].1 = format!("{} {good}", vec!["v1,AAAA"; 1000].join(" "));
    assert_eq!(s.verify(&headers(h), b"{}", &NOW), Verdict::Valid);
}

// The svix library reads each of svix-id, svix-timestamp, svix-signature in preference to its
// webhook-* twin (svix/webhooks.py, svix 2.9.1).
#[test]
fn svix_names_are_read_before_webhook_names_as_the_svix_library_does() {
    let s = signer(Scheme::Standard, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    let stamp = |id: &str| Stamp {
        id: id.into(),
        timestamp: NOW.now,
    };
    let good =
        signer(Scheme::Svix, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").sign(b"{}", &stamp("m1"));
    let other = s.sign(b"{}", &stamp("m2"));
    let tampered: Vec<(String, String)> = other
        .iter()
        .map(|(n, _)| (n.clone(), "v1,AAAA".to_string()))
        .collect();
    let both = headers([good.clone(), tampered].concat());
    assert_eq!(s.verify(&both, b"{}", &NOW), Verdict::Valid);
    let svix_bad: Vec<(String, String)> = good
        .iter()
        .map(|(n, v)| {
            (
                n.clone(),
                if n == "svix-signature" {
                    "v1,AAAA".into()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    let both = headers([svix_bad, other].concat());
    assert!(matches!(s.verify(&both, b"{}", &NOW), Verdict::Invalid(_)));
}

#[test]
fn stripe_headers_are_split_without_trimming_and_compared_in_lowercase() {
    let s = signer(Scheme::Stripe, "whsec_test");
    let stamp = Stamp {
        id: String::new(),
        timestamp: NOW.now,
    };
    let value = s.sign(b"{}", &stamp)[0].1.clone();
    let (t, v1) = value.split_once(',').unwrap();
    let verdict = |header: String| {
        s.verify(
            &headers(vec![("Stripe-Signature".into(), header)]),
            b"{}",
            &NOW,
        )
    };
    let hint = |header: String| match verdict(header) {
        Verdict::Invalid(m) => format!("{} {}", m.reason, m.hint.unwrap_or_default()),
        other => panic!("{other:?}"),
    };
    assert!(hint(format!("{t}, {v1}")).contains("remove the space"));
    assert!(hint(format!("{t},v1={}", v1[3..].to_uppercase())).contains("Stripe's libraries"));
    assert_eq!(verdict(format!("{t},{v1},v0=x, junk")), Verdict::Valid);
    let ahead = Policy {
        now: NOW.now - 86_400,
        ..NOW
    };
    let future = headers(vec![("Stripe-Signature".into(), value.clone())]);
    assert_eq!(s.verify(&future, b"{}", &ahead), Verdict::Valid);
}

#[test]
fn every_key_pair_scheme_round_trips_and_rejects_a_changed_body() {
    use super::{Algorithm, Key, PrivateKey};
    let stamp = Stamp {
        id: "msg_1".into(),
        timestamp: 1_700_000_000,
    };
    let policy = Policy {
        now: 1_700_000_000,
        tolerance: Some(300),
    };
    for (scheme, algorithm) in [
        (Scheme::Sendgrid, Algorithm::P256),
        (Scheme::Telnyx, Algorithm::Ed25519),
        (Scheme::Standard, Algorithm::Ed25519),
        (Scheme::Svix, Algorithm::Ed25519),
    ] {
        let private = PrivateKey::generate(algorithm);
        let signer = Signer::with_key(scheme, &Key::Private(private.clone()), None).unwrap();
        let verifier = Signer::with_key(scheme, &Key::Public(private.public()), None).unwrap();
        let signed = signer.sign(b"[]\r\n", &stamp).unwrap();
        let headers: Headers = signed.headers.into_iter().collect();
        assert_eq!(
            verifier.verify(&headers, b"[]\r\n", &policy),
            Verdict::Valid,
            "{scheme}"
        );
        assert!(matches!(
            verifier.verify(&headers, b"[1]\r\n", &policy),
            Verdict::Invalid(_)
        ));
        assert_eq!(
            verifier.sign(b"[]", &stamp),
            Err(SignError::NeedsPrivateKey(scheme))
        );
    }
}

#[test]
fn a_rotating_signature_lists_an_unknown_one_first_and_verifies() {
    let cases = [
        (Scheme::Standard, "webhook-signature", ' '),
        (Scheme::Stripe, "Stripe-Signature", ','),
        (Scheme::Plivo, plivo::V3, ','),
    ];
    let body = b"CallUUID=abc&CallStatus=completed";
    let url = Some("https://h.example/hooks");
    let stamp = Stamp {
        id: "msg_rotating".into(),
        timestamp: NOW.now,
    };
    for (scheme, header, separator) in cases {
        let secret = Secret::new("whsec_c2VjcmV0LWtleS1ieXRlcw==").unwrap();
        let s = Signer::new(scheme, &secret, None).unwrap();
        let none = Headers::new();
        let request = Request::post(&none, body).at(url);
        let signed = s.sign_rotating(&request, &stamp).unwrap().unwrap();
        let listed = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .find(|(n, _)| n == header)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let value = listed(&signed.headers);
        let (older, newer) = value.rsplit_once(separator).unwrap();
        assert!(!older.is_empty(), "{scheme}: {value}");
        let received: Headers = signed.headers.iter().cloned().collect();
        assert_eq!(
            s.verify_request(&Request::post(&received, body).at(url), &NOW),
            Verdict::Valid,
            "{scheme}: {value}"
        );
        // The first entry alone is refused (really unknown), the last alone accepted.
        let with = |entry: &str| -> Headers {
            signed
                .headers
                .iter()
                .map(|(n, v)| match n == header {
                    true => (n.clone(), entry.to_string()),
                    false => (n.clone(), v.clone()),
                })
                .collect()
        };
        let verdict = |h: &Headers| s.verify_request(&Request::post(h, body).at(url), &NOW);
        let newer = match scheme {
            // Stripe's list shares one t=: the right signature keeps it.
            Scheme::Stripe => format!("t={},{newer}", NOW.now),
            _ => newer.to_string(),
        };
        assert!(
            matches!(verdict(&with(older)), Verdict::Invalid(_)),
            "{scheme}: {older}"
        );
        assert_eq!(verdict(&with(&newer)), Verdict::Valid, "{scheme}: {newer}");
    }
    let secret = Secret::new("s3cr3t").unwrap();
    let single = Signer::new(Scheme::Ekdsend, &secret, None).unwrap();
    let none = Headers::new();
    assert!(
        single
            .sign_rotating(&Request::post(&none, body), &stamp)
            .is_none(),
        "one signature per header: no list"
    );
}
