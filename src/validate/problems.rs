//! Collects every problem of a spec with the path of the field that caused it.

use crate::error::FieldError;

/// Collects errors while walking the spec.
#[derive(Default)]
pub(super) struct Problems(pub(super) Vec<FieldError>);

impl Problems {
    pub(super) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Records `result`'s error under `field` and passes the value on.
    pub(super) fn check<T>(
        &mut self,
        field: impl Into<String>,
        result: Result<T, String>,
    ) -> Option<T> {
        result.map_err(|m| self.add(field, m)).ok()
    }

    pub(super) fn required<'a, T>(
        &mut self,
        field: &str,
        value: &'a Option<T>,
        hint: &str,
    ) -> Option<&'a T> {
        if value.is_none() {
            self.add(field, format!("is required: {hint}"));
        }
        value.as_ref()
    }
}
