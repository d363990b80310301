//! The book's pages (`book/src`) and the fenced blocks the tests compare with the tool.

use super::{read_path, repo};

/// The text of `book/src/RELATIVE`.
pub fn page(relative: &str) -> String {
    read_path(&repo("book/src").join(relative))
}

/// A page of the book, whose checked blocks follow a marker.
pub struct BookPage {
    page: String,
    text: String,
}

impl BookPage {
    /// Reads `book/src/RELATIVE`.
    pub fn read(relative: &str) -> Self {
        BookPage {
            page: relative.to_string(),
            text: page(relative),
        }
    }

    /// The fenced block of `language` right after the marker line `<!-- name -->`.
    pub fn block(&self, name: &str, language: &str) -> String {
        let marker = format!("<!-- {name} -->\n```{language}\n");
        let start = self
            .text
            .find(&marker)
            .unwrap_or_else(|| panic!("no block `{name}` in the book page {}", self.page))
            + marker.len();
        let end = self.text[start..].find("```\n").expect("end of block") + start;
        self.text[start..end].to_string()
    }

    /// The first fenced block after the first `marker` anywhere on the page: the first whose
    /// fence is exactly ```` ```LANGUAGE ```` with `Some(language)`, the very next one with
    /// `None`.
    pub fn block_after(&self, marker: &str, language: Option<&str>) -> String {
        let at = self
            .text
            .find(marker)
            .unwrap_or_else(|| panic!("{}: no {marker}", self.page));
        let after = &self.text[at..];
        let body = match language {
            Some(language) => {
                let fence = format!("```{language}\n");
                let start = after
                    .find(&fence)
                    .unwrap_or_else(|| panic!("{}: no {fence:?} after {marker}", self.page));
                &after[start + fence.len()..]
            }
            None => {
                let (_, fence) = after.split_once("```").expect("a block after the marker");
                fence.split_once('\n').expect("a fence line").1
            }
        };
        body.split_once("```").expect("end of block").0.to_string()
    }
}
