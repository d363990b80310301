//! Reads Kubernetes objects from YAML: every `.yaml`/`.yml` file under a folder (hidden
//! entries skipped, in name order), one file, or standard input (`-`). Multi-document streams
//! and `kind: List` are flattened; empty documents are skipped. Reads only.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::error::Error;

/// One object and where it came from (`file` or `file#3` for the third document).
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub origin: String,
    pub value: Value,
}

/// Reads every object under `path` (a folder, a file, or `-` for stdin).
pub fn read(path: &Path) -> Result<Vec<Object>, Error> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("cannot read standard input", e))?;
        return parse("<stdin>", &text);
    }
    let meta = std::fs::metadata(path)
        .map_err(|e| Error::Manifests(format!("cannot read {}: {e}", path.display())))?;
    let mut files = Vec::new();
    if meta.is_dir() {
        collect(path, &mut files)?;
    } else {
        files.push(path.to_path_buf());
    }
    let mut objects = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| Error::Manifests(format!("cannot read {}: {e}", file.display())))?;
        objects.extend(parse(&file.display().to_string(), &text)?);
    }
    Ok(objects)
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) -> Result<(), Error> {
    let fail = |e: std::io::Error| Error::Manifests(format!("cannot read {}: {e}", dir.display()));
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(fail)?
        .collect::<Result<_, _>>()
        .map_err(fail)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type().map_err(fail)?.is_dir() {
            collect(&path, files)?;
        } else if path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        {
            files.push(path);
        }
    }
    Ok(())
}

/// The objects of one YAML stream.
pub fn parse(origin: &str, text: &str) -> Result<Vec<Object>, Error> {
    let docs: Vec<Value> = serde_saphyr::from_multiple(text)
        .map_err(|e| Error::Manifests(format!("{origin}: not valid YAML: {e}")))?;
    let several = docs.len() > 1;
    let mut objects = Vec::new();
    for (i, doc) in docs.into_iter().enumerate() {
        let origin = if several {
            format!("{origin}#{}", i + 1)
        } else {
            origin.to_string()
        };
        match doc {
            Value::Null => {}
            Value::Object(ref map) if map.get("kind") == Some(&Value::from("List")) => {
                for item in map
                    .get("items")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    objects.push(Object {
                        origin: origin.clone(),
                        value: item.clone(),
                    });
                }
            }
            Value::Object(_) => objects.push(Object { origin, value: doc }),
            _ => {
                return Err(Error::Manifests(format!(
                    "{origin}: a document is not a Kubernetes object (a mapping)"
                )));
            }
        }
    }
    Ok(objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_and_lists_are_flattened() {
        let text = "---\nkind: A\n---\n---\nkind: List\nitems:\n  - kind: B\n  - kind: C\n";
        let objects = parse("f.yaml", text).unwrap();
        let kinds: Vec<&str> = objects
            .iter()
            .map(|o| o.value["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["A", "B", "C"]);
        assert_eq!(objects[0].origin, "f.yaml#1");
    }

    #[test]
    fn scalars_and_bad_yaml_are_refused_naming_the_file() {
        for text in ["just text", "a: [1,"] {
            let err = parse("f.yaml", text).unwrap_err().to_string();
            assert!(err.starts_with("f.yaml"), "{err}");
        }
    }
}
