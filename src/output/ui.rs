//! Messages to the person at the terminal, on stderr: errors (with a prefix coloured when
//! colour is allowed) and informational notes (only on a terminal, and silenced by `--quiet`:
//! a script sees data on stdout and errors on stderr, nothing else). Data goes to stdout,
//! elsewhere. Every message is escaped for the terminal ([`super::terminal`]): file names and
//! values in it come from users and manifests.

use std::ffi::OsStr;
use std::fmt::Display;
use std::io::{IsTerminal, Write};

use clap::ColorChoice;

use super::terminal::escape_lines;

const RED_BOLD: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

/// How messages are shown, from `--color`, `NO_COLOR`, `--quiet` and whether stderr is a
/// terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ui {
    color: bool,
    notes: bool,
}

impl Ui {
    /// Decides for this process: its stderr and its `NO_COLOR` variable.
    pub fn new(choice: ColorChoice, quiet: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR");
        let terminal = std::io::stderr().is_terminal();
        Ui {
            color: use_color(choice, terminal, no_color.as_deref()),
            notes: terminal && !quiet,
        }
    }

    /// An informational note: shown on a terminal, unless `--quiet`.
    pub fn note(&self, message: impl Display) {
        if self.notes {
            write_stderr(&escape_lines(&message.to_string()));
        }
    }

    /// A problem with one input that did not stop the command, always shown, escaped.
    pub fn problem(&self, message: impl Display) {
        write_stderr(&escape_lines(&message.to_string()));
    }

    /// An error, always shown.
    pub fn error(&self, error: impl Display) {
        write_stderr(&self.error_text(error));
    }

    /// `error: <message>`, the prefix in bold red when colour is on, the message escaped.
    pub fn error_text(&self, error: impl Display) -> String {
        let message = error.to_string();
        let message = escape_lines(&message);
        if self.color {
            format!("{RED_BOLD}error:{RESET} {message}")
        } else {
            format!("error: {message}")
        }
    }
}

/// Colour with `always`; none with `never`; with `auto`, only on a terminal and when
/// `NO_COLOR` is unset or empty (<https://no-color.org>).
pub fn use_color(choice: ColorChoice, terminal: bool, no_color: Option<&OsStr>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && no_color.is_none_or(OsStr::is_empty),
    }
}

/// Writes one line to stderr; a closed stderr is ignored (there is nowhere left to report).
fn write_stderr(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_only_a_terminal_without_no_color() {
        let auto = ColorChoice::Auto;
        assert!(use_color(auto, true, None));
        assert!(use_color(auto, true, Some(OsStr::new(""))));
        assert!(!use_color(auto, true, Some(OsStr::new("1"))));
        assert!(!use_color(auto, false, None));
    }

    #[test]
    fn always_and_never_win_over_the_terminal_and_no_color() {
        assert!(use_color(ColorChoice::Always, false, Some(OsStr::new("1"))));
        assert!(!use_color(ColorChoice::Never, true, None));
    }

    #[test]
    fn the_error_prefix_is_coloured_only_when_colour_is_on() {
        let plain = Ui {
            color: false,
            notes: true,
        };
        let coloured = Ui {
            color: true,
            notes: true,
        };
        assert_eq!(plain.error_text("boom"), "error: boom");
        assert_eq!(coloured.error_text("boom"), "\x1b[1;31merror:\x1b[0m boom");
    }

    #[test]
    fn what_a_message_quotes_is_escaped_and_its_lines_kept() {
        let plain = Ui {
            color: false,
            notes: true,
        };
        assert_eq!(
            plain.error_text("cannot read \u{1b}]0;x\u{7}.yaml\n  - next"),
            "error: cannot read \\u{1B}]0;x\\u{7}.yaml\n  - next"
        );
    }
}
