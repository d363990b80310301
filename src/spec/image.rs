//! OCI image references (`[registry/]path[:tag][@sha256:digest]`): parsing and validation.

/// A parsed image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses `text` following the OCI distribution reference grammar.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("the image reference is empty".into());
        }
        if text.len() > 4096 {
            return Err("the image reference is longer than 4096 characters".into());
        }
        let (rest, digest) = match text.split_once('@') {
            Some((rest, digest)) => (rest, Some(parse_digest(digest)?)),
            None => (text, None),
        };
        let (repository, tag) = split_tag(rest);
        if let Some(tag) = tag {
            validate_tag(tag)?;
        }
        validate_repository(repository)?;
        Ok(ImageRef {
            repository: repository.to_string(),
            tag: tag.map(str::to_string),
            digest,
        })
    }

    pub fn is_pinned_by_digest(&self) -> bool {
        self.digest.is_some()
    }
}

/// Splits `repo:tag`, taking care that `host:port/repo` is not a tag.
fn split_tag(text: &str) -> (&str, Option<&str>) {
    match text.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, Some(tag)),
        _ => (text, None),
    }
}

fn parse_digest(digest: &str) -> Result<String, String> {
    let (algorithm, hex) = digest
        .split_once(':')
        .ok_or_else(|| format!("digest `{digest}` must look like sha256:<64 hex digits>"))?;
    let expected_len = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        other => {
            return Err(format!(
                "digest algorithm `{other}` is not sha256 or sha512"
            ));
        }
    };
    if hex.len() != expected_len
        || !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(format!(
            "digest `{digest}` must be {algorithm}: followed by {expected_len} lowercase hex digits"
        ));
    }
    Ok(digest.to_string())
}

fn validate_tag(tag: &str) -> Result<(), String> {
    let mut bytes = tag.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
    let rest_ok = bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if tag.len() > 128 || !first_ok || !rest_ok {
        return Err(format!(
            "tag `{tag}` is invalid: up to 128 letters, digits, `_`, `.` or `-`, not starting with `.` or `-`"
        ));
    }
    Ok(())
}

fn validate_repository(repository: &str) -> Result<(), String> {
    let mut components: Vec<&str> = repository.split('/').collect();
    if components.len() > 1 && looks_like_registry(components[0]) {
        validate_registry(components.remove(0))?;
    }
    for component in components {
        validate_path_component(component)?;
    }
    Ok(())
}

fn looks_like_registry(first: &str) -> bool {
    first.contains('.') || first.contains(':') || first == "localhost"
}

fn validate_registry(host: &str) -> Result<(), String> {
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    };
    let labels_ok = name.split('.').all(|label| {
        !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    });
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
    if !labels_ok || !port_ok {
        return Err(format!(
            "registry `{host}` is not a valid host name with optional port"
        ));
    }
    Ok(())
}

/// A path component: lowercase alphanumerics separated by `.`, `_`, `__` or runs of `-`.
fn validate_path_component(component: &str) -> Result<(), String> {
    let invalid = || {
        format!(
            "image path component `{component}` is invalid: use lowercase letters and digits separated by `.`, `_`, `__` or `-`"
        )
    };
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return Err(invalid());
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let ok = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !ok {
            return Err(invalid());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn accepts_valid_references() {
        for good in [
            "nginx",
            "nginx:1.27",
            "ghcr.io/acme/payments-api:1.2.3",
            "localhost:5000/team/app_x:v1",
            "registry.example.com:443/a/b/c",
            "my-app__v2/x.y",
        ] {
            ImageRef::parse(good).unwrap_or_else(|e| panic!("{good}: {e}"));
        }
        let pinned = ImageRef::parse(&format!("ghcr.io/acme/api:1.0@{DIGEST}")).unwrap();
        assert!(pinned.is_pinned_by_digest());
        assert_eq!(pinned.tag.as_deref(), Some("1.0"));
        assert_eq!(pinned.repository, "ghcr.io/acme/api");
        let port_only = ImageRef::parse("localhost:5000/app").unwrap();
        assert_eq!(port_only.tag, None);
    }

    #[test]
    fn rejects_malformed_references() {
        for bad in [
            "",
            "Nginx",
            "nginx:",
            "nginx:-bad",
            "nginx@sha256:abc",
            "nginx@md5:0123",
            "a//b",
            "-a/b",
            "acme/app name",
            "acme/app\n",
            "host:99999/app",
        ] {
            assert!(ImageRef::parse(bad).is_err(), "{bad:?} should fail");
        }
    }
}
