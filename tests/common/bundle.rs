//! Reading what `render` prints: the objects of a YAML stream and finding one by kind and name.

use serde_json::Value;

/// The documents of a YAML stream as JSON values, empty documents left out.
pub fn parse_stream(text: &str) -> Vec<Value> {
    serde_saphyr::from_multiple::<Value>(text)
        .unwrap_or_else(|e| panic!("stream does not parse: {e}\n{text}"))
        .into_iter()
        .filter(|doc| !doc.is_null())
        .collect()
}

/// The documents of a YAML text as written, each without its `#` comment lines, blank
/// documents left out.
pub fn documents_without_comments(text: &str) -> Vec<String> {
    let mut docs = vec![String::new()];
    for line in text.lines() {
        if line == "---" {
            docs.push(String::new());
        } else if !line.trim_start().starts_with('#') {
            let doc = docs.last_mut().unwrap();
            doc.push_str(line);
            doc.push('\n');
        }
    }
    docs.retain(|doc| !doc.trim().is_empty());
    docs
}

/// `kind/name` of an object, the identity tests compare bundles by.
pub fn identity(doc: &Value) -> String {
    format!(
        "{}/{}",
        doc["kind"].as_str().unwrap_or("?"),
        doc["metadata"]["name"].as_str().unwrap_or("?")
    )
}

/// The identities of the objects, in their order.
pub fn identities(docs: &[Value]) -> Vec<String> {
    docs.iter().map(identity).collect()
}

/// The object of `kind` named `name` (which must be there).
pub fn find<'a>(docs: &'a [Value], kind: &str, name: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["kind"] == kind && d["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind}/{name} in {:?}", identities(docs)))
}
