//! kubeward's own small configuration files (the presets folder's configuration, a check
//! configuration, a suppressions file): parsed into their type, their `apiVersion` and `kind`
//! checked, every problem an error (exit 2) that names the file, the field and the line.

use serde::de::DeserializeOwned;

use super::model::API_VERSION;
use crate::error::{Error, FieldError};
use crate::yaml::locate::Locator;

/// One such file's text, to parse and to point problems at.
pub struct Document<'a> {
    name: &'a str,
    /// What the file is, for messages: `suppressions file`.
    what: &'a str,
    text: &'a str,
    locator: Locator,
}

impl<'a> Document<'a> {
    pub fn new(name: &'a str, what: &'a str, text: &'a str) -> Self {
        Document {
            name,
            what,
            text,
            locator: Locator::new(text),
        }
    }

    /// The file as a `T`, whose `apiVersion` and `kind` (given to `header`) must be kubeward's
    /// and `kind`.
    pub fn parse<T: DeserializeOwned>(
        &self,
        kind: &str,
        header: impl Fn(&T) -> (&str, &str),
    ) -> Result<T, Error> {
        let value: T =
            serde_saphyr::from_str(self.text).map_err(|e| self.problem(self.locator.locate(&e)))?;
        let (api_version, found) = header(&value);
        if api_version != API_VERSION {
            return Err(self.problem(FieldError::new(
                "apiVersion",
                format!("`{api_version}` is not supported: use {API_VERSION}"),
            )));
        }
        if found != kind {
            return Err(self.problem(FieldError::new(
                "kind",
                format!("`{found}` is not supported: use {kind}"),
            )));
        }
        Ok(value)
    }

    /// The error for a problem at a field of the file, at its line.
    pub fn problem(&self, error: FieldError) -> Error {
        let line = error.line.or_else(|| self.locator.line_of(&error.field));
        Error::Usage(format!(
            "{} is not a valid {}: {}",
            self.name,
            self.what,
            error.at_line(line)
        ))
    }

    /// The line of a field path, e.g. `suppressions[2]`.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        self.locator.line_of(path)
    }
}
