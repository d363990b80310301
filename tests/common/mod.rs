//! Helpers shared by the integration tests: the repository's files, book pages and the JSON Schemas.
#![allow(dead_code)] // each test binary uses its own subset

use std::fs;
use std::path::PathBuf;

use kubeward::cli::schema::{self, SchemaKind};
use serde_json::Value;

/// A path inside the repository.
pub fn repo(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// A file of the repository as text.
pub fn read(relative: &str) -> String {
    std::fs::read_to_string(repo(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// One YAML document as a JSON value, as a schema-aware editor sees it.
pub fn yaml_value(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

/// The generated schema of `kind`, compiled as draft-07.
pub fn validator(kind: SchemaKind) -> jsonschema::Validator {
    jsonschema::draft7::new(&schema::schema(kind)).expect("the generated schema compiles")
}

/// Why `value` does not match the schema (empty when it does).
pub fn schema_errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// A page of the book, whose checked blocks follow a marker line `<!-- NAME -->`.
pub struct BookPage {
    text: String,
}

impl BookPage {
    /// Reads `book/src/RELATIVE`.
    pub fn read(relative: &str) -> Self {
        let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "book/src", relative]
            .iter()
            .collect();
        BookPage {
            text: fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        }
    }

    /// The fenced block of `language` right after the marker `<!-- name -->`.
    pub fn block(&self, name: &str, language: &str) -> String {
        let marker = format!("<!-- {name} -->\n```{language}\n");
        let start = self
            .text
            .find(&marker)
            .unwrap_or_else(|| panic!("no block `{name}` in the book page"))
            + marker.len();
        let end = self.text[start..].find("```\n").expect("end of block") + start;
        self.text[start..end].to_string()
    }
}
