use super::super::Family;
use super::*;

fn signer(secret: &str) -> VonageSigner {
    VonageSigner::new(&Secret::new(secret).unwrap())
}

fn authorized(token: &str) -> Headers {
    [(HEADER, format!("Bearer {token}"))].into_iter().collect()
}

fn verdict(s: &VonageSigner, headers: &Headers, body: &[u8], now: i64) -> Verdict {
    let policy = Policy {
        now,
        tolerance: Some(super::super::DEFAULT_TOLERANCE_SECS),
    };
    s.verify(&Request::post(headers, body), &policy)
}

fn reason(v: Verdict) -> (String, String) {
    match v {
        Verdict::Invalid(m) => (m.reason, m.hint.unwrap_or_default()),
        other => panic!("expected invalid, got {other:?}"),
    }
}

const BODY: &[u8] =
    br#"{"message_uuid":"aaaaaaaa-bbbb-cccc-dddd-0123456789ab","status":"delivered"}"#;

// Source: vonage-python-sdk, jwt/tests/test_verify_jwt.py: `verify_signature(token,
// "qwertyuiopasdfghjklzxcvbnm123456")` is True, with "asdf" False. The token has no
// payload_hash, so the signature passes and the claim check then refuses it.
#[test]
fn vonage_jwts_published_token_passes_the_signature_and_lacks_a_payload_hash() {
    let token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJPbmxpbmUgSldUIEJ1aWxkZXIiLCJpYXQiOjE2OTc2MzQ2ODAsImV4cCI6MzMyNTQ1NDA4MjgsImF1ZCI6IiIsInN1YiI6IiJ9.88vJc3I2HhuqEDixHXVhc9R30tA6U_HQHZTC29y6CGM";
    let (why, _) = reason(verdict(
        &signer("qwertyuiopasdfghjklzxcvbnm123456"),
        &authorized(token),
        BODY,
        1_697_634_680,
    ));
    assert!(why.contains("no payload_hash claim"), "{why}");
    let (why, hint) = reason(verdict(
        &signer("asdf"),
        &authorized(token),
        BODY,
        1_697_634_680,
    ));
    assert_eq!(why, "the token's signature does not match");
    assert!(hint.contains("signature secret"), "{hint}");
}

#[test]
fn a_signed_body_verifies_and_a_changed_one_names_the_payload_hash() {
    let s = signer("0123456789abcdef0123456789abcdef");
    let token = s.token(BODY, 1_700_000_000, "c5ba8f24-1a14-4c10-bfdf-3fbe8ce511b5");
    assert_eq!(
        verdict(&s, &authorized(&token), BODY, 1_700_000_000),
        Verdict::Valid
    );
    let (why, _) = reason(verdict(&s, &authorized(&token), b"{}", 1_700_000_000));
    assert_eq!(
        why,
        "the token is valid but its payload_hash does not match the body: the body was changed after signing"
    );
    let mut newline = BODY.to_vec();
    newline.push(b'\n');
    let (_, hint) = reason(verdict(&s, &authorized(&token), &newline, 1_700_000_000));
    assert!(hint.contains("newline"), "{hint}");
}

#[test]
fn the_claims_are_vonages() {
    let token = signer("k").token(b"x", 42, "id-1");
    let claims = token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&B64URL.decode(claims).unwrap()).unwrap();
    assert_eq!(
        claims,
        json!({"iat": 42, "jti": "id-1", "iss": "Vonage",
               "payload_hash": hex::encode(Sha256::digest(b"x")),
               "api_key": PLACEHOLDER_API_KEY, "application_id": PLACEHOLDER_APPLICATION_ID})
    );
}

#[test]
fn a_stale_iat_is_refused_beyond_the_tolerance() {
    let s = signer("k");
    let token = s.token(BODY, 1_700_000_000, "j");
    let (why, _) = reason(verdict(&s, &authorized(&token), BODY, 1_700_000_000 + 720));
    assert_eq!(
        why,
        "the token is valid, but it was issued 12 min ago (iat; tolerance 5 min)"
    );
}

#[test]
fn alg_none_and_rs256_are_refused_whatever_the_signature() {
    let s = signer("k");
    let token = s.token(BODY, 1_700_000_000, "j");
    let claims = token.split('.').nth(1).unwrap();
    for (alg, want) in [
        ("none", "unsigned"),
        ("RS256", "RS256, not HS256"),
        ("HS512", "HS512"),
    ] {
        let header = B64URL.encode(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#));
        let forged = format!("{header}.{claims}.");
        let (why, _) = reason(verdict(&s, &authorized(&forged), BODY, 1_700_000_000));
        assert!(why.contains(want), "{alg}: {why}");
    }
}

#[test]
fn no_authorization_is_unsigned_and_basic_credentials_are_not_a_token() {
    let s = signer("k");
    assert_eq!(verdict(&s, &Headers::new(), BODY, 0), Verdict::Unsigned);
    let basic: Headers = [(HEADER, "Basic dXNlcjpwYXNz")].into_iter().collect();
    let (why, _) = reason(verdict(&s, &basic, BODY, 0));
    assert!(why.contains("`Basic` credentials"), "{why}");
    assert!(
        !why.contains("dXNlcjpwYXNz"),
        "never quotes the credential: {why}"
    );
}

#[test]
fn only_a_token_issued_by_vonage_is_detected() {
    let token = signer("k").token(BODY, 1, "j");
    assert!(carries_token(&authorized(&token)));
    let basic: Headers = [(HEADER, "Basic dXNlcjpwYXNz")].into_iter().collect();
    assert!(!carries_token(&basic));
    assert_eq!(Scheme::detect(&authorized(&token)), Some(Scheme::Vonage));
    assert_eq!(Scheme::detect(&basic), None);
}

#[test]
fn another_account_is_named_and_an_application_may_be_absent() {
    let token = signer("k")
        .with_account("1a2b3c4d", None)
        .token(b"x", 42, "id-1");
    let claims = token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&B64URL.decode(claims).unwrap()).unwrap();
    assert_eq!(claims["api_key"], "1a2b3c4d");
    assert!(claims.get("application_id").is_none(), "{claims}");
}

/// A token for BODY signed with the secret `k`, with `claims` added to Vonage's.
fn with_claims(claims: Value) -> String {
    let mut all = json!({"iat": 1_700_000_000, "iss": "Vonage",
                         "payload_hash": hex::encode(Sha256::digest(BODY))});
    all.as_object_mut()
        .unwrap()
        .extend(claims.as_object().unwrap().clone());
    let header = B64URL.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let input = format!("{header}.{}", B64URL.encode(all.to_string()));
    let tag = mac::Key::new(b"k").tag(b"", input.as_bytes());
    format!("{input}.{}", B64URL.encode(tag))
}

#[test]
fn an_expired_token_and_one_issued_ahead_of_the_clock_are_refused() {
    let s = signer("k");
    let expired = with_claims(json!({"exp": 1_700_000_060}));
    let (why, _) = reason(verdict(&s, &authorized(&expired), BODY, 1_700_000_120));
    assert_eq!(why, "the token expired 60 s ago (exp)");

    let ahead = s.token(BODY, 1_700_000_000 + 900, "j");
    let (why, _) = reason(verdict(&s, &authorized(&ahead), BODY, 1_700_000_000));
    assert_eq!(
        why,
        "the token is valid, but it was issued 15 min in the future (iat; tolerance 5 min)"
    );
}

/// PyJWT (jwt/api_jwt.py `_validate_claims`, which vonage-jwt's `verify_signature` runs) reads
/// iat, nbf and exp with `int()` and refuses a token before its nbf or a claim `int()` refuses.
#[test]
fn time_claims_are_read_as_pyjwt_reads_them() {
    let s = signer("k");
    let now = 1_700_000_000;
    let at = |claims: Value| verdict(&s, &authorized(&with_claims(claims)), BODY, now);
    assert_eq!(at(json!({"iat": 1_699_999_999.75})), Verdict::Valid);
    assert_eq!(at(json!({"nbf": now})), Verdict::Valid);
    let (why, hint) = reason(at(json!({"nbf": now + 1})));
    assert_eq!(
        why,
        "the token is not valid yet: its nbf is 1 s in the future"
    );
    assert!(
        hint.contains("vonage-jwt refuses a token before its nbf"),
        "{hint}"
    );
    let (why, _) = reason(at(json!({"exp": 1_699_999_990.5})));
    assert_eq!(why, "the token expired 10 s ago (exp)");
    let (why, _) = reason(at(json!({"iat": "soon"})));
    assert_eq!(why, "the token's iat claim is not a number of seconds");
}
