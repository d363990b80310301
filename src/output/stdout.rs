//! Data on standard output: the bundle, reports, drawings, JSON. A closed pipe
//! (`kubeward render ... | head`) ends the output quietly; it is not an error. Text for people
//! goes through [`print_text`], which escapes what a terminal must not receive raw.

use std::io::{self, BufWriter, Write};

use serde::Serialize;

use super::terminal::escape_lines;
use crate::error::Error;

/// Prints data to stdout; a closed pipe (`| head`) is not an error.
pub fn print_stdout(text: &str) -> Result<(), Error> {
    write_stdout(|out| out.write_all(text.as_bytes()))
}

/// Prints text for people (a report, an explanation, a drawing) with every control and
/// bidirectional character escaped; its line breaks stay.
pub fn print_text(text: &str) -> Result<(), Error> {
    print_stdout(&escape_lines(text))
}

/// Prints `value` as pretty JSON, written as it is serialized.
pub fn print_json(value: &impl Serialize) -> Result<(), Error> {
    write_stdout(|out| super::json::write(out, value))
}

/// Runs `write` on a buffered stdout and flushes it; a closed pipe is not an error.
pub fn write_stdout(
    write: impl FnOnce(&mut BufWriter<io::StdoutLock<'_>>) -> io::Result<()>,
) -> Result<(), Error> {
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write to stdout", e))
        }
        _ => Ok(()),
    }
}

/// Pretty JSON with a final newline, safe on a terminal (see [`super::json`]).
pub fn to_json(value: &impl Serialize) -> String {
    super::json::to_string(value)
}
