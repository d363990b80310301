//! Errors and warnings shared across stages, and how each error maps to an exit code and a
//! message.

use std::fmt;
use std::path::PathBuf;

/// One problem with one field of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field path as the user wrote it, e.g. `spec.callers[1].namespace`.
    pub field: String,
    pub message: String,
    pub line: Option<usize>,
}

impl FieldError {
    /// A problem with `field`. Control characters (from user values quoted in the message)
    /// are escaped so that a hostile value cannot rewrite the terminal or fake more lines.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: escape_controls(&field.into()),
            message: escape_controls(&message.into()),
            line: None,
        }
    }

    pub fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}: {}", self.field, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// `text` with every control character escaped, so that it cannot rewrite the terminal.
pub fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Input that cannot become a valid service: unreadable, unparsable or invalid.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", format_invalid(path.as_ref(), errors))]
    Invalid {
        path: Option<PathBuf>,
        errors: Vec<FieldError>,
    },
    /// A cluster spec (`kubeward cluster`) that cannot become a valid cluster.
    #[error("{}", list_problems(&format!("{} is not a valid cluster spec", path.display()), errors))]
    InvalidCluster {
        path: PathBuf,
        errors: Vec<FieldError>,
    },
}

fn format_invalid(path: Option<&PathBuf>, errors: &[FieldError]) -> String {
    let subject = match path {
        Some(path) => format!("{} is not", path.display()),
        None => "the flags are not".to_string(),
    };
    list_problems(&format!("{subject} a valid service"), errors)
}

/// `subject (N problems):` and the problems, one a line.
fn list_problems(subject: &str, errors: &[FieldError]) -> String {
    let mut text = format!(
        "{subject} ({} problem{}):",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    for error in errors {
        text.push_str(&format!("\n  - {error}"));
    }
    text
}

/// Something in a bundle that a user would not expect, or that leaves it below the rubric:
/// shown on stderr with or without a terminal (`--quiet` silences notes, not warnings), and an
/// error under `--deny-warnings`. The id is stable, for scripts and for the book.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    pub id: &'static str,
    pub message: String,
}

impl Warning {
    /// A warning of the kind `id`, which must be one of [`crate::vocabulary::WARNINGS`].
    pub fn new(id: &'static str, message: impl Into<String>) -> Self {
        assert!(
            crate::vocabulary::WARNINGS
                .iter()
                .any(|(known, _)| *known == id),
            "warning `{id}` has no entry in vocabulary::WARNINGS"
        );
        Warning {
            id,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.message, self.id)
    }
}

/// One spec of a batch that failed, and why.
#[derive(Debug)]
pub struct Failure {
    pub spec: PathBuf,
    pub error: Error,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error {
            // These name the file already.
            Error::Spec(_) => write!(f, "{}", self.error),
            other => write!(f, "{}: {other}", self.spec.display()),
        }
    }
}

fn format_batch(failures: &[Failure], total: usize, rendered_others: bool) -> String {
    let mut text = format!("{} of {total} specs failed; ", failures.len());
    if rendered_others {
        text.push_str(&format!(
            "the other {} were rendered",
            total - failures.len()
        ));
    } else {
        text.push_str("no service was rendered (--keep-going renders the others)");
    }
    for failure in failures {
        text.push_str(&format!("\n{failure}"));
    }
    text
}

fn format_system(problems: &[String]) -> String {
    let mut text = format!(
        "the services do not fit together as one system ({} problem{}); nothing was written:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        text.push_str(&format!("\n  - {}", escape_controls_keeping_lines(problem)));
    }
    text
}

/// [`escape_controls`], but keeping line breaks, indented to stay inside a list item.
fn escape_controls_keeping_lines(text: &str) -> String {
    text.split('\n')
        .map(escape_controls)
        .collect::<Vec<_>>()
        .join("\n  ")
}

/// Every failure of a command, with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("{0}")]
    Usage(String),
    #[error("preset `{name}`: {message}")]
    Preset { name: String, message: String },
    #[error("rendering failed: {0}")]
    Render(String),
    /// Rendered manifests below the floors of their preset: refused like a spec below them.
    #[error("{0}")]
    Floors(String),
    /// Manifests given to read (rendered or foreign) that cannot be read or understood.
    #[error("{0}")]
    Manifests(String),
    #[error("{0}")]
    Output(String),
    #[error("{0}")]
    State(String),
    #[error("{0}")]
    Material(String),
    /// The user stopped `init` (Esc, Ctrl-C, or no to a confirmation) before anything was written.
    #[error("cancelled: nothing was written")]
    Cancelled,
    /// `kubeward check` found problems at or above `--fail-on`.
    #[error("{0}")]
    Findings(String),
    /// `kubeward check` could not read or parse some of its input.
    #[error("{0}")]
    Unreadable(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    /// The services of a system do not fit together: one-sided connections, ports that do not
    /// match, namespaces their services disagree on; nothing was rendered.
    #[error("{}", format_system(problems))]
    System { problems: Vec<String> },
    /// `--deny-warnings` and some warnings: nothing was written.
    #[error("{} warning(s), and --deny-warnings makes them errors; nothing was written:{}", .0.len(), .0.iter().map(|w| format!("\n  - {w}")).collect::<String>())]
    DeniedWarnings(Vec<String>),
    /// Some specs of a batch failed, each reported with its file, in the order given.
    #[error("{}", format_batch(failures, *total, *rendered_others))]
    Batch {
        failures: Vec<Failure>,
        total: usize,
        /// Whether the other services were rendered (`--keep-going`).
        rendered_others: bool,
    },
}

impl Error {
    /// Usage and validation errors exit 2, a cancelled questionnaire 130 (as Ctrl-C does),
    /// everything else 1; a batch exits 2 when every failure is a usage or validation error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Batch { failures, .. } => failures
                .iter()
                .map(|failure| failure.error.exit_code())
                .min()
                .unwrap_or(1),
            Error::Spec(_)
            | Error::System { .. }
            | Error::Usage(_)
            | Error::Preset { .. }
            | Error::Unreadable(_)
            | Error::Manifests(_)
            | Error::Floors(_)
            | Error::DeniedWarnings(_) => 2,
            Error::Cancelled => 130,
            Error::Render(_)
            | Error::Output(_)
            | Error::State(_)
            | Error::Material(_)
            | Error::Findings(_)
            | Error::Io { .. } => 1,
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}
