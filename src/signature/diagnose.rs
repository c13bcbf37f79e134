//! Explains a signature mismatch by trying the mistakes people make most often.

use super::mac_scheme::MacSigner;
use super::{Claim, Scheme, Verdict, mac};
use crate::json;

const NO_EXPLANATION: &str = "the secret or the payload differs from what was signed";

/// The verdict for a claim none of whose tags matched `body` under the signer's key.
pub(super) fn explain(signer: &MacSigner, claim: &Claim, prefix: &[u8], body: &[u8]) -> Verdict {
    let signed_by = |key: &mac::Key, body: &[u8]| {
        let tag = key.tag(prefix, body);
        claim.tags.iter().any(|t| mac::ct_eq(t, &tag))
    };
    let hint = body_variants(body)
        .into_iter()
        .find(|(variant, _)| signed_by(&signer.keyed, variant))
        .map(|(_, hint)| hint.to_string())
        .or_else(|| {
            let alt = mac::Key::new(signer.alt_key.as_deref()?);
            signed_by(&alt, body).then(|| key_hint(signer.scheme))
        })
        .unwrap_or_else(|| NO_EXPLANATION.to_string());
    Verdict::invalid("signature does not match", Some(hint))
}

/// Bodies the sender may really have signed, each with the hint that names the slip.
pub(super) fn body_variants(body: &[u8]) -> Vec<(Vec<u8>, &'static str)> {
    let mut out = Vec::new();
    if let Some(trimmed) = body
        .strip_suffix(b"\r\n")
        .or_else(|| body.strip_suffix(b"\n"))
    {
        out.push((
            trimmed.to_vec(),
            "the payload ends with a newline that was not signed (editors add one); use the exact bytes that were sent",
        ));
    }
    let mut with_newline = body.to_vec();
    with_newline.push(b'\n');
    out.push((
        with_newline,
        "the signature covers the payload plus a trailing newline (as `echo` adds); sign the exact bytes that are sent",
    ));
    if let Ok(value) = serde_json::from_slice(body) {
        let compact = json::compact(&value);
        if compact != body {
            out.push((
                compact,
                "the signature covers the compact JSON (what JSON.stringify(req.body) produces), not these bytes; the body was re-formatted on the way",
            ));
        }
        let pretty = json::pretty(&value);
        if pretty != body {
            out.push((
                pretty,
                "the signature covers the pretty-printed JSON (2-space indent), not these bytes; the body was re-formatted on the way",
            ));
        }
    }
    out
}

fn key_hint(scheme: Scheme) -> String {
    if scheme.is_standard() {
        "the signature was made with the whsec_ secret used as a plain string; Standard Webhooks signs with the base64-decoded bytes after `whsec_`".into()
    } else {
        format!(
            "the signature was made with the base64-decoded bytes of the whsec_ secret; {scheme} signs with the secret string exactly as given"
        )
    }
}
