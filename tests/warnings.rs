//! Warnings reach the user: each exemption kubeward writes on its own, a public host
//! certificate from kubeward's own CA, confidential data in clear text and an egress to a
//! cloud metadata address are warnings on stderr, whether or not stderr is a terminal (tests
//! run without one) and with `--quiet` too; `--deny-warnings` makes them an error before
//! anything is written; `explain` lists them; the book lists every id with what to do.

mod common;

use std::collections::BTreeSet;

use common::run::{Run, kubeward_in};
use common::spec::api_spec;
use kubeward::vocabulary::WARNINGS;

/// Renders `spec` (as `kubeward.yaml`) into `out/` with `extra` flags, in a fresh folder.
fn render(spec: &str, extra: &[&str]) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().unwrap();
    common::write(&dir.path().join("kubeward.yaml"), spec);
    common::write(
        &dir.path().join("localhost.yaml"),
        "apiVersion: kubeward.dev/v1alpha1\nkind: Preset\nmetadata: {name: nodes}\nextends: restricted\nspec:\n  seccompProfile: {type: Localhost, localhostProfile: profiles/api.json}\n",
    );
    let run = Run::of(
        kubeward_in(dir.path())
            .args(["render", "-f", "kubeward.yaml", "-o", "out"])
            .args(extra),
    );
    (dir, run)
}

/// The ids of the warnings on stderr, each line checked to be one warning.
fn warned(run: &Run) -> BTreeSet<String> {
    run.stderr
        .lines()
        .map(|line| {
            assert!(line.starts_with("warning: "), "not a warning: {line}");
            let id = line
                .rsplit_once(" [")
                .and_then(|(_, id)| id.strip_suffix(']'));
            id.unwrap_or_else(|| panic!("no id: {line}")).to_string()
        })
        .collect()
}

/// A public service behind an Ingress of a maintained controller (a Gateway's listener brings
/// its own certificate, so only an Ingress gets one from kubeward's CA).
const PUBLIC: &str = "  protocol: https\n  exposure: public\n  ingress: { host: shop.example.com, api: ingress, className: traefik, controller: { namespace: traefik, app: traefik } }\n";

/// Specs and the warnings they must give, and the same with the cause named or removed.
fn cases() -> Vec<(String, Vec<&'static str>)> {
    vec![
        (api_spec(""), vec![]),
        (
            api_spec("  preset: baseline\n"),
            vec!["not-spread", "single-replica", "writable-root-filesystem"],
        ),
        // One replica asked for by name is not a surprise; the preset's relaxations are.
        (
            api_spec("  preset: baseline\n  replicas: 1\n"),
            vec!["not-spread", "writable-root-filesystem"],
        ),
        (
            api_spec("  preset: ./localhost.yaml\n"),
            vec!["localhost-seccomp"],
        ),
        (api_spec(PUBLIC), vec!["private-ca-public-host"]),
        (
            api_spec(&PUBLIC.replace("}\n", ", issuer: { name: letsencrypt } }\n")),
            vec![],
        ),
        (
            api_spec(
                "  protocol: https\n  exposure: public\n  ingress: { host: shop.example.com, api: ingress, issuer: { name: letsencrypt } }\n",
            ),
            vec!["retired-ingress-controller"],
        ),
        (
            api_spec("  sensitivity: confidential\n"),
            vec!["plaintext-confidential"],
        ),
        (
            api_spec(
                "  protocol: https\n  sensitivity: confidential\n  tls: { mode: self-signed }\n",
            ),
            vec![],
        ),
        (
            api_spec("  egress:\n    - { cidr: 169.254.169.254, port: 80 }\n"),
            vec!["metadata-egress"],
        ),
        (
            api_spec("  egress:\n    - { cidr: 'fd00:ec2::/32', port: 80 }\n"),
            vec!["metadata-egress"],
        ),
        // A wide range reaches no metadata address: link-local ranges stay carved out of it.
        (
            api_spec(
                "  egress:\n    - { cidr: 0.0.0.0/0, port: 443 }\n    - { cidr: '::/0', port: 443 }\n",
            ),
            vec![],
        ),
    ]
}

#[test]
fn each_surprise_is_a_warning_on_stderr_without_a_terminal_and_with_quiet() {
    for (spec, expected) in cases() {
        let expected: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
        for extra in [&[][..], &["--quiet"][..]] {
            let (dir, run) = render(&spec, extra);
            assert_eq!(run.code, Some(0), "{spec}\n{}", run.stderr);
            assert_eq!(warned(&run), expected, "{spec} {extra:?}");
            assert!(dir.path().join("out/kustomization.yaml").is_file());
        }
    }
}

#[test]
fn deny_warnings_refuses_before_anything_is_written() {
    for (spec, expected) in cases().into_iter().filter(|(_, e)| !e.is_empty()) {
        let (dir, run) = render(&spec, &["--deny-warnings"]);
        assert_eq!(run.code, Some(2), "{spec}\n{}", run.stderr);
        for id in expected {
            assert!(
                run.stderr.contains(&format!("[{id}]")),
                "{id}: {}",
                run.stderr
            );
        }
        assert!(!dir.path().join("out").exists(), "{spec}");
        assert!(!dir.path().join(".kubeward").exists(), "{spec}");
    }
}

#[test]
fn explain_lists_the_warnings_render_gives() {
    let spec = api_spec(
        "  sensitivity: confidential\n  egress:\n    - { cidr: 169.254.169.254, port: 80 }\n",
    );
    let dir = tempfile::tempdir().unwrap();
    common::write(&dir.path().join("kubeward.yaml"), &spec);
    let text = Run::of(kubeward_in(dir.path()).args(["explain", "-f", "kubeward.yaml"]));
    assert_eq!(text.code, Some(0));
    let tail = text
        .stdout
        .split_once("\nWarnings\n")
        .expect("a Warnings section")
        .1;
    assert!(
        tail.contains("[plaintext-confidential]") && tail.contains("[metadata-egress]"),
        "{tail}"
    );
    assert!(tail.contains("169.254.169.254/32 on port 80"), "{tail}");
}

#[test]
fn the_book_lists_every_warning_with_what_to_do() {
    let page = common::book::page("reference/warnings.md");
    for (id, what_to_do) in WARNINGS {
        let heading = format!("## `{id}`");
        let section = page
            .split_once(&heading)
            .unwrap_or_else(|| panic!("reference/warnings.md has no {heading}"))
            .1;
        let section = section.split("\n## ").next().unwrap();
        let first_letter_up = {
            let mut c = what_to_do.chars();
            c.next().unwrap().to_uppercase().collect::<String>() + c.as_str()
        };
        assert!(
            section.contains(&format!("What to do: {what_to_do}."))
                || section.contains(&format!("What to do: {first_letter_up}.")),
            "the section of {id} says what to do as the code does: {what_to_do}"
        );
    }
    let listed = page.matches("\n## `").count();
    assert_eq!(listed, WARNINGS.len(), "one section per warning, no more");
}
