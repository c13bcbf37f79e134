//! Which characters must never reach a terminal as they are. The core refuses them where text
//! becomes something hookctl prints (an event id in a header); `output` escapes them with this
//! same definition.

/// Characters that are invisible or reorder text: Unicode format characters (general category
/// Cf), the line and paragraph separators, and every Default_Ignorable_Code_Point (Unicode 15.1,
/// DerivedCoreProperties.txt). U+202E makes `evt_1<U+202E>gnp.exe` show as `evt_1exe.png`;
/// U+3164 and U+115F show as blanks that are not spaces. Ranges include the unassigned code
/// points Unicode reserves as default-ignorable (U+2065, U+FFF0-FFF8, U+E0000-E0FFF).
const INVISIBLE: [(char, char); 25] = [
    ('\u{00AD}', '\u{00AD}'),
    ('\u{034F}', '\u{034F}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{115F}', '\u{1160}'),
    ('\u{17B4}', '\u{17B5}'),
    ('\u{180B}', '\u{180F}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{2028}', '\u{202E}'),
    ('\u{2060}', '\u{206F}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{FE00}', '\u{FE0F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFA0}', '\u{FFA0}'),
    ('\u{FFF0}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0000}', '\u{E0FFF}'),
];

/// Whether `c` must not reach a terminal as it is: C0 controls (newline and tab included), DEL,
/// C1 controls, and the invisible and bidirectional characters.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || INVISIBLE
            .iter()
            .any(|&(low, high)| (low..=high).contains(&c))
}

/// Whether `text` holds a character that [`is_unsafe`].
pub fn has_unsafe(text: &str) -> bool {
    // Printable ASCII, the usual case (every signature header), needs no table lookups.
    !text.bytes().all(|b| (b' '..0x7f).contains(&b)) && text.chars().any(is_unsafe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ignorable_characters_outside_cf_are_unsafe() {
        for c in [
            '\u{115F}',
            '\u{1160}',
            '\u{3164}',
            '\u{FFA0}',
            '\u{034F}',
            '\u{17B4}',
            '\u{17B5}',
            '\u{FE00}',
            '\u{FE0F}',
            '\u{E0100}',
            '\u{E01EF}',
            '\u{180B}',
            '\u{180F}',
        ] {
            assert!(is_unsafe(c), "{:x}", c as u32);
        }
        for c in ['a', 'é', '日', '✓', '\u{3000}', '\u{1161}'] {
            assert!(!is_unsafe(c), "{:x}", c as u32);
        }
    }
}
