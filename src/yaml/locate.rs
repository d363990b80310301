//! Maps field paths (`spec.callers[1].namespace`) to the lines where they stand in a YAML
//! document, and back, so that every error can name both the field and its line. The
//! document is indexed on the first question, so that a file without errors costs nothing.

use std::sync::OnceLock;

use serde_saphyr::granit_parser::{Event, Parser};

use crate::error::FieldError;

/// Field paths of one YAML document with their 1-based line numbers, in document order.
#[derive(Debug, Clone, Default)]
pub struct Locator {
    text: String,
    entries: OnceLock<Vec<(String, usize)>>,
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

impl Locator {
    /// A locator for `text`, indexed when first asked.
    pub fn new(text: &str) -> Self {
        Locator {
            text: text.to_string(),
            entries: OnceLock::new(),
        }
    }

    /// The field paths and their lines. A document that does not parse yields no entries
    /// past the error: the deserializer reports that error with its own location.
    fn entries(&self) -> &[(String, usize)] {
        self.entries.get_or_init(|| Self::index(&self.text))
    }

    fn index(text: &str) -> Vec<(String, usize)> {
        let mut entries = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else { break };
            let line = span.start.line();
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { path, key }) = stack.last_mut()
                        && key.is_none()
                    {
                        let child = join(path, &value);
                        entries.push((child.clone(), line));
                        *key = Some(child);
                        continue;
                    }
                    Self::value_done(&mut stack, &mut entries, line);
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let path = Self::value_done(&mut stack, &mut entries, line);
                    stack.push(match event {
                        Event::MappingStart(..) => Frame::Map { path, key: None },
                        _ => Frame::Seq { path, index: 0 },
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                Event::Alias(..) => {
                    Self::value_done(&mut stack, &mut entries, line);
                }
                _ => {}
            }
        }
        entries
    }

    /// Called when a value starts; returns its path and advances the parent frame.
    fn value_done(stack: &mut [Frame], entries: &mut Vec<(String, usize)>, line: usize) -> String {
        match stack.last_mut() {
            Some(Frame::Map { key, .. }) => key.take().unwrap_or_default(),
            Some(Frame::Seq { path, index }) => {
                let item = format!("{path}[{index}]");
                *index += 1;
                entries.push((item.clone(), line));
                item
            }
            None => String::new(),
        }
    }

    /// The line of `path`, or of its closest ancestor present in the document.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let mut candidate = path;
        loop {
            if let Some((_, line)) = self.entries().iter().find(|(p, _)| p == candidate) {
                return Some(*line);
            }
            candidate = parent(candidate)?;
        }
    }

    /// A parse error as a field error: the field that stands on the error's line, the
    /// parser's message without its own location, and the line.
    pub fn locate(&self, err: &serde_saphyr::Error) -> FieldError {
        let line = err.location().map(|l| l.line() as usize).filter(|l| *l > 0);
        let field = line
            .and_then(|l| self.path_at_line(l))
            .unwrap_or_else(|| "YAML".to_string());
        FieldError::new(field, plain_message(err)).at_line(line)
    }

    /// The deepest field path that starts on `line`, if any does (a syntax error can stand
    /// on a line no field reached).
    pub fn path_at_line(&self, line: usize) -> Option<String> {
        self.entries()
            .iter()
            .filter(|(_, l)| *l == line)
            .max_by_key(|(p, _)| p.len())
            .map(|(p, _)| p.clone())
    }
}

/// The parser's message without its source snippet (we print our own location).
pub(crate) fn plain_message(err: &serde_saphyr::Error) -> String {
    let text = err.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    let message = first
        .split(" at line ")
        .next()
        .unwrap_or(first)
        .trim_end_matches(',');
    match message {
        "invalid i64" => "expected a whole number".to_string(),
        other => other.to_string(),
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

fn parent(path: &str) -> Option<&str> {
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
apiVersion: v1
metadata:
  name: x
spec:
  callers:
    - app: web
      namespace: shop
    - {app: api, namespace: other}
  ports: [1, 2]
";

    #[test]
    fn finds_lines_of_nested_fields() {
        let locator = Locator::new(DOC);
        assert_eq!(locator.line_of("apiVersion"), Some(1));
        assert_eq!(locator.line_of("metadata.name"), Some(3));
        assert_eq!(locator.line_of("spec.callers[0].namespace"), Some(7));
        assert_eq!(locator.line_of("spec.callers[1].namespace"), Some(8));
        assert_eq!(locator.line_of("spec.callers[1]"), Some(8));
        assert_eq!(locator.line_of("spec.ports[1]"), Some(9));
        assert_eq!(locator.line_of("spec.missing.deeper"), Some(4));
    }

    #[test]
    fn finds_the_field_on_a_line() {
        let locator = Locator::new(DOC);
        assert_eq!(
            locator.path_at_line(7).as_deref(),
            Some("spec.callers[0].namespace")
        );
        assert_eq!(locator.path_at_line(3).as_deref(), Some("metadata.name"));
    }
}
