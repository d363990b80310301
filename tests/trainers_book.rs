//! The book's examples are real: every ```console block of book/src/trainers.md that starts
//! with `$ kubeward ...` holds exactly that command's output, every ```yaml block after
//! `<!-- excerpt of: kubeward ... -->` is a verbatim part of that command's output, and every
//! picture `trainers/NAME.svg` has its source `trainers/NAME.mmd` equal to
//! `kubeward graph -f tests/examples/NAME/kubeward.yaml` (scripts/check-graphs.sh checks that
//! the SVG was drawn from that source).
//!
//! `UPDATE_BOOK=1 cargo test --test trainers_book` rewrites the console blocks and the .mmd sources.

mod common;

use std::fs;

use common::book::updating;
use common::repo;

const CHAPTER: &str = "book/src/trainers.md";
const EXCERPT: &str = "<!-- excerpt of: ";

/// Runs a `kubeward ...` command line (words separated by spaces, no quoting) in the repo.
fn kubeward(command: &str) -> String {
    let args: Vec<&str> = command
        .strip_prefix("kubeward ")
        .unwrap_or_else(|| panic!("not a kubeward command: {command}"))
        .split_whitespace()
        .collect();
    let output = common::run::kubeward()
        .args(&args)
        .current_dir(common::root())
        .output()
        .expect("kubeward runs");
    assert!(
        output.status.success(),
        "{command} failed: {}",
        common::run::stderr(&output)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The fenced blocks of `text`: (line before the fence, info string, body, body's byte range).
fn blocks(text: &str) -> Vec<(String, String, String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut previous = String::new();
    let mut open: Option<(String, String, usize)> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        match &open {
            None if trimmed.starts_with("```") => {
                open = Some((
                    previous.clone(),
                    trimmed[3..].to_string(),
                    offset + line.len(),
                ));
            }
            Some((before, info, start)) if trimmed == "```" => {
                out.push((
                    before.clone(),
                    info.clone(),
                    text[*start..offset].to_string(),
                    *start..offset,
                ));
                open = None;
            }
            _ => {}
        }
        previous = trimmed.to_string();
        offset += line.len();
    }
    assert!(open.is_none(), "{CHAPTER}: a fence is not closed");
    out
}

#[test]
fn console_blocks_hold_the_real_output() {
    let path = repo(CHAPTER);
    let text = fs::read_to_string(&path).unwrap();
    let mut updated = text.clone();
    let mut stale = Vec::new();
    let mut count = 0;
    // From the end, so earlier ranges stay valid while rewriting.
    for (_, info, body, range) in blocks(&text).into_iter().rev() {
        if info != "console" {
            continue;
        }
        let command = body.lines().next().unwrap_or("");
        let command = command
            .strip_prefix("$ ")
            .unwrap_or_else(|| panic!("console block without `$ command`: {body}"));
        count += 1;
        let expected = format!("$ {command}\n{}", kubeward(command));
        if body != expected {
            stale.push(command.to_string());
            updated.replace_range(range, &expected);
        }
    }
    assert!(count >= 8, "only {count} console blocks");
    if updating() {
        fs::write(&path, updated).unwrap();
    } else {
        assert!(
            stale.is_empty(),
            "{CHAPTER}: outdated output of {stale:?} (UPDATE_BOOK=1 cargo test --test trainers_book)"
        );
    }
}

#[test]
fn excerpts_are_verbatim_parts_of_the_output() {
    let text = common::read(CHAPTER);
    let mut count = 0;
    for (before, info, body, _) in blocks(&text) {
        if let Some(command) = before.strip_prefix(EXCERPT) {
            let command = command
                .strip_suffix(" -->")
                .expect("excerpt comment closes");
            assert_eq!(info, "yaml annotated-excerpt", "excerpts are tagged YAML");
            let output = kubeward(command);
            assert!(
                output.contains(&body),
                "{CHAPTER}: this excerpt is not in the output of {command}:\n{body}"
            );
            count += 1;
        }
    }
    assert!(count >= 1, "no excerpt checked");
}

#[test]
fn pictures_are_drawn_from_the_current_graphs() {
    let text = common::read(CHAPTER);
    let pictures: Vec<&str> = text
        .match_indices("](trainers/")
        .map(|(i, _)| {
            let rest = &text[i + 2..];
            &rest[..rest.find(')').unwrap()]
        })
        .collect();
    assert!(pictures.len() >= 3, "{pictures:?}");
    for picture in pictures {
        let svg = repo("book/src").join(picture);
        assert!(svg.is_file(), "{} is missing", svg.display());
        let name = picture
            .strip_prefix("trainers/")
            .and_then(|p| p.strip_suffix(".svg"))
            .expect("trainers/NAME.svg");
        let source = svg.with_extension("mmd");
        let spec = format!("tests/examples/{name}/kubeward.yaml");
        let current = kubeward(&format!("kubeward graph -f {spec}"));
        if updating() {
            fs::write(&source, &current).unwrap();
        }
        assert_eq!(
            fs::read_to_string(&source).unwrap_or_default(),
            current,
            "{} is not the graph of {spec} (UPDATE_BOOK=1 cargo test --test trainers_book, then scripts/check-graphs.sh --update-book)",
            source.display()
        );
        let svg_text = fs::read_to_string(&svg).unwrap();
        assert!(
            svg_text.starts_with("<!-- kubeward graph source sha256: ")
                && svg_text.contains("<svg"),
            "{} was not made by scripts/check-graphs.sh",
            svg.display()
        );
    }
}
