//! Text for a terminal: every character that can move the cursor, recolour, erase or reorder
//! what the reader sees, written visibly escaped (`\u{1B}`). A manifest in a pull request can
//! name a container `"\u{1B}[2J..."` or hide a finding behind `"\u{202E}"` (the class of
//! CVE-2021-25743 in kubectl); whatever a file, a spec or a manifest supplies reaches the
//! terminal through here. Escaped: the C0 controls, DEL and the C1 controls; the line and
//! paragraph separators; the bidirectional embeddings, overrides, isolates and marks; the
//! byte-order mark.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` is one of the characters a terminal must not receive raw.
pub fn is_hidden(c: char) -> bool {
    matches!(c as u32,
        0x00..=0x1F | 0x7F..=0x9F          // C0, DEL, C1
        | 0x061C | 0x200E | 0x200F          // Arabic letter mark, left-to-right and right-to-left marks
        | 0x2028 | 0x2029                   // line and paragraph separators
        | 0x202A..=0x202E                   // embeddings and overrides
        | 0x2066..=0x2069                   // isolates
        | 0xFEFF) // byte-order mark
}

/// `text` with every hidden character escaped, line breaks included: for one field.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_except(text, None)
}

/// `text` with every hidden character escaped but its line breaks: for a whole message.
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    escape_except(text, Some('\n'))
}

fn escape_except(text: &str, kept: Option<char>) -> Cow<'_, str> {
    let hidden = |c: char| is_hidden(c) && Some(c) != kept;
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:X}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_shown_escaped() {
        assert_eq!(escape("api\u{1b}[31m"), "api\\u{1B}[31m");
        assert_eq!(escape("\u{202e}gpj.exe"), "\\u{202E}gpj.exe");
        assert_eq!(escape("a\rb\u{85}c\u{7f}"), "a\\u{D}b\\u{85}c\\u{7F}");
        assert_eq!(escape("one\ntwo"), "one\\u{A}two");
        assert_eq!(escape_lines("one\ntwo\u{2066}"), "one\ntwo\\u{2066}");
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(escape("payments/api — über"), Cow::Borrowed(_)));
    }

    #[test]
    fn every_hidden_character_is_gone_after_escaping() {
        let all: String = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        assert!(!escape(&all).chars().any(is_hidden));
        assert!(
            !escape_lines(&all)
                .chars()
                .any(|c| c != '\n' && is_hidden(c))
        );
    }
}
