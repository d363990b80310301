//! JSON for stdout: pretty-printed, and safe on a terminal while staying exact. serde_json
//! escapes the C0 controls itself; this formatter also writes DEL, the C1 controls and the
//! characters [`super::terminal`] hides as `\uXXXX` escapes, which every JSON reader decodes
//! back to the very same string.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use super::terminal::is_hidden;

/// Writes `value` as pretty JSON with a final newline.
pub fn write(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, SafeFormatter::new());
    value.serialize(&mut serializer).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// `value` as pretty JSON with a final newline.
pub fn to_string(value: &impl Serialize) -> String {
    let mut out = Vec::new();
    write(&mut out, value).expect("plain data serializes");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// serde_json's pretty formatter, with the hidden characters of string values escaped.
struct SafeFormatter(PrettyFormatter<'static>);

impl SafeFormatter {
    fn new() -> Self {
        SafeFormatter(PrettyFormatter::new())
    }
}

impl Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_hidden(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    #[test]
    fn hidden_characters_are_escaped_and_read_back_exactly() {
        let text = "a\u{1b}[2Jb\u{85}c\u{7f}d\u{202e}e\u{2066}f\"\\\n";
        let out = super::to_string(&json!({"name": text}));
        assert!(out.is_ascii(), "{out}");
        assert!(out.contains("\\u202e") && out.contains("\\u0085") && out.contains("\\u007f"));
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["name"], text);
    }

    #[test]
    fn the_layout_is_serde_json_pretty() {
        let value = json!({"a": [1, {"b": null}], "c": "ü"});
        assert_eq!(
            super::to_string(&value),
            format!("{}\n", serde_json::to_string_pretty(&value).unwrap())
        );
    }
}
