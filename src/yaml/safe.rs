//! The YAML-safe encoding every user value passes through before it reaches a template:
//! strings become plain scalars where YAML reads them back as the same string, double-quoted
//! scalars otherwise, structures become JSON flow collections built from such scalars.

use serde_json::Value;

/// Writes `text` as a YAML scalar that decodes to exactly `text`, in a block or a flow
/// collection: plain where every YAML 1.1 and 1.2 reader takes it for that string (see
/// [`is_plain_safe`]), double-quoted otherwise. One rule for every value, so the same string
/// looks the same in every object.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        quote(text)
    }
}

/// Words that YAML 1.1 readers (Kubernetes among them) turn into booleans or null.
const SPECIAL_WORDS: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];

/// Characters a plain scalar may hold after its first: none is an indicator in a block or a
/// flow collection (`:` `,` `#` `[` `]` `{` `}` are left out), and a space only between two
/// of the others.
fn is_plain_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b'-' | b'+' | b'=' | b'@' | b' ')
}

/// Characters of YAML 1.1 and 1.2 numbers (decimal, hexadecimal, octal, binary,
/// sexagesimal, exponent) and YAML 1.1 timestamps: a string that starts with a digit and holds
/// only these could be read as a number or a date, so it is quoted (`"8"`, `"5.2.0"`, `"1e3"`,
/// `"0x1F"`, `"2001-12-14"`), and one with any other letter cannot (`100m`, `64Mi`, `30s`).
fn is_number_char(b: u8) -> bool {
    b.is_ascii_hexdigit()
        || matches!(
            b,
            b'.' | b'_'
                | b'+'
                | b'-'
                | b':'
                | b' '
                | b'x'
                | b'X'
                | b'o'
                | b'O'
                | b't'
                | b'T'
                | b'z'
                | b'Z'
        )
}

/// Plain is safe when the text starts with an ASCII letter, a digit or `/`, goes on with
/// [`is_plain_char`]s and ends with one that is not a space, holds no two spaces in a row,
/// and is not a boolean or null word, nor, starting with a digit, made only of
/// [`is_number_char`]s.
fn is_plain_safe(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    (first.is_ascii_alphanumeric() || *first == b'/')
        && *last != b' '
        && bytes.iter().all(|b| is_plain_char(*b))
        && !text.contains("  ")
        && !SPECIAL_WORDS.iter().any(|w| w.eq_ignore_ascii_case(text))
        && !(first.is_ascii_digit() && bytes.iter().all(|b| is_number_char(*b)))
}

/// Quotes `text` as a YAML double-quoted scalar that decodes to exactly `text`.
///
/// Escapes the quote and the backslash, every character YAML does not allow in a stream
/// (C0 and C1 controls, DEL, U+FFFE/U+FFFF), the characters that some readers treat as
/// line breaks or byte-order marks (U+0085, U+2028, U+2029, U+FEFF), and the bidirectional
/// controls that would reorder the text on a terminal or in an editor (U+061C, U+200E,
/// U+200F, U+202A-U+202E, U+2066-U+2069).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn needs_escape(c: char) -> bool {
    matches!(c as u32,
        0x00..=0x1F | 0x7F..=0x9F | 0x2028 | 0x2029 | 0xFEFF | 0xFFFE | 0xFFFF
        | 0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069)
}

/// Makes `text` safe on one line: inside a YAML `#` comment, or on one terminal line. Every
/// character that could end the line or the comment for some reader (line breaks, U+0085,
/// U+2028, U+2029), every other control character, the characters YAML does not allow in a
/// stream (U+FEFF, U+FFFE, U+FFFF) and the bidirectional controls are written as
/// `\u{XXXX}` escapes, and so is a backslash, so the escapes cannot be forged.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\\' || c.is_control() || needs_escape(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Encodes any JSON value as YAML flow syntax: strings through [`scalar`], numbers and
/// booleans as they are, sequences and mappings as flow collections.
pub fn encode(value: &Value) -> String {
    let mut out = String::new();
    encode_into(value, &mut out);
    out
}

fn encode_into(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => out.push_str(&scalar(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                encode_into(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&scalar(key));
                out.push_str(": ");
                encode_into(item, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decode(yaml: &str) -> String {
        serde_saphyr::from_str::<String>(yaml).expect("quoted scalar parses")
    }

    /// Decodes `value: <scalar>` as a mapping, so a plain scalar is judged in context.
    fn decode_in_mapping(scalar_text: &str) -> Value {
        serde_saphyr::from_str::<Value>(&format!("value: {scalar_text}\n")).expect("mapping parses")
            ["value"]
            .clone()
    }

    #[test]
    fn plain_scalars_stay_strings() {
        for text in [
            "payments-api",
            "app.kubernetes.io/name",
            "Yes",
            "NULL",
            "e10",
            "ON",
            "x1.5",
            "a-b_c",
        ] {
            let encoded = scalar(text);
            assert_eq!(
                decode_in_mapping(&encoded),
                Value::String(text.into()),
                "{encoded}"
            );
        }
        assert_eq!(scalar("payments"), "payments");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("8080"), "\"8080\"");
    }

    #[test]
    fn quotes_only_what_some_reader_would_take_for_something_else() {
        for plain in [
            "100m",
            "64Mi",
            "2160h",
            "/readyz",
            "a b",
            "KW-X=why",
            "c2VjcmV0+/=",
            "u@h",
        ] {
            assert_eq!(scalar(plain), plain);
        }
        for quoted in [
            "8",
            "5.2.0",
            "1e3",
            "0x1F",
            "0o17",
            "2001-12-14",
            "1:30",
            "12 34",
            "a  b",
            "a ",
            "-a",
            ".inf",
            "+1",
            "a:b",
            "a#b",
            "a,b",
            "é",
            "~",
            "",
        ] {
            assert_eq!(scalar(quoted), quote(quoted), "{quoted:?}");
        }
    }

    #[test]
    fn hostile_values_round_trip() {
        for text in [
            "",
            "plain",
            "say \"hi\"",
            "back\\slash",
            "line\nbreak\r\n",
            "---\nkind: Pod",
            "{{ evil }}",
            "key: value # comment",
            "\u{2028}\u{2029}\u{85}\u{feff}",
            "emoji 🦀 and é",
            "yes",
            "on",
            "0x1F",
            "~",
            "\u{7f}\u{0}\u{1b}",
        ] {
            assert_eq!(decode(&quote(text)), text, "{text:?}");
        }
    }

    #[test]
    fn one_line_escapes_line_breaks_and_backslashes() {
        assert_eq!(one_line("a\nkind: Pod"), "a\\u{000A}kind: Pod");
        assert_eq!(one_line("x\u{2028}y\\z"), "x\\u{2028}y\\u{005C}z");
        assert_eq!(one_line("plain text: ok # fine"), "plain text: ok # fine");
    }

    #[test]
    fn structures_decode_to_the_same_value() {
        let value = serde_json::json!({"a\nb": ["x: y", 3, true, null], "k": {"---": "#"}});
        let back: Value = serde_saphyr::from_str(&encode(&value)).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn no_character_a_terminal_hides_stays_raw_and_all_round_trip() {
        let all: String = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        let hidden = crate::output::terminal::is_hidden;
        assert!(!quote(&all).chars().any(hidden));
        assert!(!one_line(&all).chars().any(hidden));
        assert_eq!(decode(&quote(&all)), all);
    }

    proptest! {
        #[test]
        fn any_string_round_trips(text in any::<String>()) {
            prop_assert_eq!(decode(&quote(&text)), text.clone());
            prop_assert_eq!(decode_in_mapping(&scalar(&text)), Value::String(text));
        }

        #[test]
        fn one_line_text_stays_inside_its_comment(text in any::<String>()) {
            let safe = one_line(&text);
            let breaks = ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'];
            prop_assert!(!safe.contains(breaks), "{:?}", safe);
            let doc = format!("# {safe}\nkey: value # {safe}\n");
            let back: Value = serde_saphyr::from_str(&doc).expect("the comment hides the text");
            prop_assert_eq!(back, serde_json::json!({"key": "value"}));
        }

        #[test]
        fn encoded_text_shows_a_terminal_nothing_it_hides(text in any::<String>()) {
            let hidden = crate::output::terminal::is_hidden;
            prop_assert!(!scalar(&text).chars().any(hidden));
            prop_assert!(!one_line(&text).chars().any(hidden));
        }

        #[test]
        fn plain_looking_strings_round_trip(text in "[a-zA-Z0-9/][a-zA-Z0-9._/+=@ -]{0,12}") {
            prop_assert_eq!(decode_in_mapping(&scalar(&text)), Value::String(text));
        }

        #[test]
        fn yaml_hostile_strings_round_trip(text in "[-:#{}\"'\\\\\n\r\t \u{2028}\u{2029}\u{85}\u{feff}a🦀|>&*!%@`]{0,40}") {
            prop_assert_eq!(decode_in_mapping(&scalar(&text)), Value::String(text));
        }
    }
}
