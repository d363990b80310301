//! The book's pages (`book/src`) and the fenced blocks the tests compare with the tool.

use std::ops::Range;

use super::{read_path, repo};

/// Whether `UPDATE_BOOK` is set: the tests then rewrite the book's checked blocks with what
/// the tool prints, instead of failing on them.
pub fn updating() -> bool {
    std::env::var_os("UPDATE_BOOK").is_some()
}

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
        self.text[self.block_range(marker, language)].to_string()
    }

    /// Asserts that the block after `marker` (see [`BookPage::block_after`]) is `expected`;
    /// with `UPDATE_BOOK` set, writes `expected` into the page instead.
    pub fn expect_block_after(&self, marker: &str, expected: &str) {
        let range = self.block_range(marker, None);
        if updating() {
            let mut text = self.text.clone();
            text.replace_range(range, expected);
            std::fs::write(repo("book/src").join(&self.page), text).unwrap();
            return;
        }
        assert_eq!(
            &self.text[range], expected,
            "{}: the block after {marker} is outdated (UPDATE_BOOK=1 cargo test rewrites it)",
            self.page
        );
    }

    /// The byte range of the body of the block after `marker`.
    fn block_range(&self, marker: &str, language: Option<&str>) -> Range<usize> {
        let at = self
            .text
            .find(marker)
            .unwrap_or_else(|| panic!("{}: no {marker}", self.page));
        let after = &self.text[at..];
        let start = match language {
            Some(language) => {
                let fence = format!("```{language}\n");
                let start = after
                    .find(&fence)
                    .unwrap_or_else(|| panic!("{}: no {fence:?} after {marker}", self.page));
                start + fence.len()
            }
            None => {
                let fence = after.find("```").expect("a block after the marker");
                fence + after[fence..].find('\n').expect("a fence line") + 1
            }
        };
        let end = start + after[start..].find("```").expect("end of block");
        at + start..at + end
    }
}
