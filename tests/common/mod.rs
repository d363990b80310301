//! Helpers shared by the integration tests.

use std::fs;
use std::path::PathBuf;

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
