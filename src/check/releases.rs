//! The upstream Kubernetes releases kubeward knows, with the date the table was written:
//! which minors upstream still supports (the three newest), for `check --kubernetes-version`,
//! the version rules of the control plane, `kubeward cluster` and `kubeward --version`.

use std::fmt;

/// The day this table was last brought up to date, as a literal for `concat!`.
macro_rules! table_date {
    () => {
        "2026-12-01"
    };
}
pub(crate) use table_date;

/// The day this table was last brought up to date: a minor released later is unknown to it.
pub const TABLE_DATE: &str = table_date!();

/// How many minors upstream supports at once: the newest and the two before it.
pub const SUPPORTED_MINORS: usize = 3;

/// Kubernetes 1.x minors and the day each went out, newest first (kubernetes.io release
/// announcements).
pub const RELEASES: &[(u32, &str)] = &[
    (37, "2026-08-26"),
    (36, "2026-04-22"),
    (35, "2025-12-17"),
    (34, "2025-08-27"),
    (33, "2025-04-23"),
    (32, "2024-12-11"),
    (31, "2024-08-13"),
    (30, "2024-04-17"),
    (29, "2023-12-13"),
    (28, "2023-08-15"),
];

/// A Kubernetes version, `1.36.3` (a leading `v` is accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    /// Reads `1.36.3` or `v1.36.3`; anything else is an error saying the form.
    pub fn parse(text: &str) -> Result<Version, String> {
        let bad = || {
            format!("`{text}` is not a Kubernetes version: write MAJOR.MINOR.PATCH, e.g. 1.36.3")
        };
        let numbers: Vec<u32> = text
            .strip_prefix('v')
            .unwrap_or(text)
            .split('.')
            .map(|part| {
                (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| part.parse().ok())
                    .flatten()
            })
            .collect::<Option<_>>()
            .ok_or_else(bad)?;
        match numbers[..] {
            [major, minor, patch] => Ok(Version {
                major,
                minor,
                patch,
            }),
            _ => Err(bad()),
        }
    }

    /// `1.36`, the minor as people name it.
    pub fn minor_name(&self) -> String {
        format!("{}.{}", self.major, self.minor)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// Where a version stands against the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    /// One of the three newest minors.
    Supported,
    /// Older than the three newest minors: no more patches upstream.
    Unsupported,
    /// Newer than every minor of the table (it may be out since the table was written).
    Unknown,
}

/// Where `version` stands.
pub fn support(version: &Version) -> Support {
    let newest = RELEASES[0].0;
    if version.major != 1 || version.minor > newest {
        return Support::Unknown;
    }
    if RELEASES[..SUPPORTED_MINORS]
        .iter()
        .any(|(minor, _)| *minor == version.minor)
    {
        Support::Supported
    } else {
        Support::Unsupported
    }
}

/// The supported minors, newest first: `1.37, 1.36, 1.35`.
pub fn supported_minors() -> String {
    RELEASES[..SUPPORTED_MINORS]
        .iter()
        .map(|(minor, _)| format!("1.{minor}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why `version` is a problem: its minor no longer gets patches upstream.
pub fn unsupported(version: &Version) -> Option<String> {
    (support(version) == Support::Unsupported).then(|| {
        format!(
            "Kubernetes {} is out of upstream support: only {} still get patches, security fixes included (kubeward's release table of {TABLE_DATE}); upgrade one minor at a time",
            version.minor_name(),
            supported_minors()
        )
    })
}

/// What kubeward cannot tell about `version`: a minor newer than its table.
pub fn unknown(version: &Version) -> Option<String> {
    (support(version) == Support::Unknown).then(|| {
        format!(
            "Kubernetes {} is newer than kubeward's release table of {TABLE_DATE} (newest: 1.{}): kubeward cannot tell whether upstream supports it",
            version.minor_name(),
            RELEASES[0].0
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn the_three_newest_minors_are_supported() {
        assert_eq!(support(&v("1.37.0")), Support::Supported);
        assert_eq!(support(&v("v1.35.9")), Support::Supported);
        assert_eq!(support(&v("1.34.2")), Support::Unsupported);
        assert_eq!(support(&v("1.28.15")), Support::Unsupported);
        assert_eq!(support(&v("1.38.0")), Support::Unknown);
        assert_eq!(supported_minors(), "1.37, 1.36, 1.35");
    }

    #[test]
    fn the_table_is_newest_first_and_dated_after_its_newest_release() {
        assert!(
            RELEASES
                .windows(2)
                .all(|w| w[0].0 == w[1].0 + 1 && w[0].1 > w[1].1)
        );
        assert!(RELEASES[0].1 <= TABLE_DATE);
    }

    #[test]
    fn versions_are_major_minor_patch() {
        assert_eq!(
            v("v1.36.3"),
            Version {
                major: 1,
                minor: 36,
                patch: 3
            }
        );
        for bad in [
            "1.36",
            "1.36.3.1",
            "1.x.3",
            "",
            "v",
            "1..3",
            "1.36.3-rc.1",
            "+1.2.3",
        ] {
            assert!(Version::parse(bad).is_err(), "{bad}");
        }
        assert!(
            unsupported(&v("1.34.2"))
                .unwrap()
                .contains("1.37, 1.36, 1.35")
        );
        assert!(unsupported(&v("1.35.0")).is_none());
        assert!(unknown(&v("1.38.0")).unwrap().contains("newest: 1.37"));
    }
}
