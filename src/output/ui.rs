//! Messages to the person at the terminal, on stderr: errors and warnings (always shown, with
//! a prefix coloured when colour is allowed; `--deny-warnings` turns warnings into an error
//! before anything is written) and informational notes (only on a terminal, and silenced by
//! `--quiet`: a script sees data on stdout, and errors and warnings on stderr, nothing else).
//! Data goes to stdout, elsewhere. Every message is escaped for the terminal
//! ([`super::terminal`]): file names and values in it come from users and manifests.

use std::ffi::OsStr;
use std::fmt::Display;
use std::io::{IsTerminal, Write};

use clap::ColorChoice;

use super::terminal::escape_lines;
use crate::error::{Error, Warning};
use crate::yaml::safe::one_line;
const RED_BOLD: &str = "\x1b[1;31m";
const YELLOW_BOLD: &str = "\x1b[1;33m";
const RESET: &str = "\x1b[0m";

/// How messages are shown, from `--color`, `NO_COLOR`, `--quiet` and whether stderr is a
/// terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ui {
    color: bool,
    notes: bool,
    deny_warnings: bool,
}

impl Ui {
    /// Decides for this process: its stderr and its `NO_COLOR` variable.
    pub fn new(choice: ColorChoice, quiet: bool, deny_warnings: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR");
        let terminal = std::io::stderr().is_terminal();
        Ui {
            color: use_color(choice, terminal, no_color.as_deref()),
            notes: terminal && !quiet,
            deny_warnings,
        }
    }

    /// Whether `--deny-warnings` makes every warning an error.
    pub fn denies_warnings(&self) -> bool {
        self.deny_warnings
    }

    /// The warnings of what is about to be written: each shown on stderr, or, with
    /// `--deny-warnings`, all of them as one error (the caller then writes nothing).
    pub fn warnings(&self, warnings: &[Warning]) -> Result<(), Error> {
        if self.deny_warnings && !warnings.is_empty() {
            return Err(Error::DeniedWarnings(
                warnings.iter().map(Warning::to_string).collect(),
            ));
        }
        for warning in warnings {
            write_stderr(&self.warning_text(warning));
        }
        Ok(())
    }

    /// `warning: <message> [<id>]` on one line, control characters escaped (the message may
    /// quote what the user wrote), the prefix in bold yellow when colour is on.
    pub fn warning_text(&self, warning: &Warning) -> String {
        let text = one_line(&warning.to_string());
        if self.color {
            format!("{YELLOW_BOLD}warning:{RESET} {text}")
        } else {
            format!("warning: {text}")
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

/// A message about the run itself (waiting for a lock another process holds): always shown,
/// on one line, control characters escaped (it may name a path the user chose).
pub fn status(message: &str) {
    write_stderr(&format!("kubeward: {}", one_line(message)));
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
            deny_warnings: false,
        };
        let coloured = Ui {
            color: true,
            ..plain
        };
        assert_eq!(plain.error_text("boom"), "error: boom");
        assert_eq!(coloured.error_text("boom"), "\x1b[1;31merror:\x1b[0m boom");
        let warning = Warning::new("single-replica", "careful");
        assert_eq!(
            plain.warning_text(&warning),
            "warning: careful [single-replica]"
        );
        assert_eq!(
            coloured.warning_text(&warning),
            "\x1b[1;33mwarning:\x1b[0m careful [single-replica]"
        );
    }

    #[test]
    fn denied_warnings_are_one_error_that_lists_them_and_exits_2() {
        let deny = Ui {
            color: false,
            notes: false,
            deny_warnings: true,
        };
        assert!(deny.warnings(&[]).is_ok());
        let err = deny
            .warnings(&[
                Warning::new("not-spread", "first"),
                Warning::new("single-replica", "second"),
            ])
            .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let text = err.to_string();
        assert!(text.contains("2 warning(s)"), "{text}");
        assert!(
            text.contains("\n  - first [not-spread]\n  - second [single-replica]"),
            "{text}"
        );
    }

    #[test]
    fn what_a_message_quotes_is_escaped_and_its_lines_kept() {
        let plain = Ui {
            color: false,
            notes: true,
            deny_warnings: false,
        };
        assert_eq!(
            plain.error_text("cannot read \u{1b}]0;x\u{7}.yaml\n  - next"),
            "error: cannot read \\u{1B}]0;x\\u{7}.yaml\n  - next"
        );
    }
}
