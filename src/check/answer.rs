//! The start of an endpoint's answer body, as a failed check shows it: as text, bounded, and for
//! an HTML error page (Express's default handler sends one with the stack trace) its text
//! without the markup, so the error message comes first.

use crate::delivery::Answer;

/// How much of an endpoint's answer body a failed check keeps (output shows less, after hiding
/// secrets, so that a secret cut at this bound is never shown in part).
pub const ANSWER_KEEP: usize = 1024;

/// How much of an HTML page is read for its text.
const HTML_READ: usize = 16 * 1024;

/// The start of `answer`'s body as text, cut at a character, `…` at the end when there was more;
/// `None` when it is empty.
pub fn start(answer: &Answer) -> Option<String> {
    let html = answer
        .header("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("text/html"));
    let (text, more) = match html {
        true => {
            let read = &answer.body[..answer.body.len().min(HTML_READ)];
            (html_text(&String::from_utf8_lossy(read)), false)
        }
        false => (utf8_start(&answer.body), answer.body.len() > ANSWER_KEEP),
    };
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut end = text.len().min(ANSWER_KEEP);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let more = more || end < text.len() || answer.body_truncated;
    Some(match more {
        true => format!("{}…", &text[..end]),
        false => text.to_string(),
    })
}

/// The first [`ANSWER_KEEP`] bytes as text: a character cut at the bound is dropped, anything
/// else invalid is shown replaced.
fn utf8_start(body: &[u8]) -> String {
    let body = &body[..body.len().min(ANSWER_KEEP)];
    match std::str::from_utf8(body) {
        Ok(text) => text.to_string(),
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(&body[..e.valid_up_to()]).into_owned()
        }
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    }
}

/// Elements whose content is not text a reader sees.
const HIDDEN: [&str; 3] = ["head", "script", "style"];

/// The visible text of an HTML page: tags dropped (`<br>` and block ends as line breaks), the
/// common entities decoded, blank runs collapsed, empty lines dropped.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
        rest = &rest[open + close + 1..];
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if HIDDEN.contains(&name.as_str()) {
            let end = format!("</{name}");
            rest = match rest.to_ascii_lowercase().find(&end) {
                Some(at) => &rest[at..],
                None => "",
            };
        } else if name == "br" || tag.starts_with('/') {
            text.push('\n');
        }
    }
    text.push_str(rest);
    let text = decode_entities(&text);
    text.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn decode_entities(text: &str) -> String {
    [
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#x27;", "'"),
        // Last, so that `&amp;lt;` stays `&lt;`.
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text.to_string(), |text, (entity, c)| {
        text.replace(entity, c)
    })
}

#[cfg(test)]
mod tests {
    use super::html_text;

    #[test]
    fn an_express_error_page_reads_as_its_message_and_stack() {
        // The shape of Express 5's default error page in development.
        let page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
            <title>Error</title>\n</head>\n<body>\n<pre>RangeError: Input buffers must have the \
            same byte length<br> &nbsp; &nbsp;at timingSafeEqual (node:internal/crypto:1:1)<br> \
            &nbsp; &nbsp;at verify (/app/a&amp;b.js:2:3)</pre>\n</body>\n</html>\n";
        assert_eq!(
            html_text(page),
            "RangeError: Input buffers must have the same byte length\n\
             at timingSafeEqual (node:internal/crypto:1:1)\nat verify (/app/a&b.js:2:3)"
        );
    }

    #[test]
    fn a_cut_page_keeps_the_text_before_the_cut() {
        assert_eq!(html_text("<p>Bad &lt;sig&gt;</p><scr"), "Bad <sig>");
        assert_eq!(html_text("<style>p{}</sty"), "");
    }
}
