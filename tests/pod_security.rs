//! The upstream Pod Security Standards fixtures (`tests/fixtures/pod-security`, copied from
//! the admission controller's own test data) against `kubeward check`: every failing pod gets
//! a finding from a rule that claims the control it fails, and no passing pod gets one from a
//! rule that claims to judge that control exactly (or a part of it). A rule that says it is
//! stricter than a control, or differs from it, may report a passing pod: its help says why.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kubeward::check::{self, Relation, Rule, Scanner, load};

const FIXTURES: &str = "tests/fixtures/pod-security";

/// The control each upstream check (the fixture's name without its number) judges.
const CONTROLS: &[(&str, &str)] = &[
    ("windowshostprocess", "baseline: HostProcess"),
    ("hostnamespaces", "baseline: Host Namespaces"),
    ("privileged", "baseline: Privileged Containers"),
    ("capabilities_baseline", "baseline: Capabilities"),
    ("hostpathvolumes", "baseline: HostPath Volumes"),
    ("hostports", "baseline: Host Ports"),
    (
        "hostprobesandhostlifecycle",
        "baseline: Host Probes / Lifecycle Hooks",
    ),
    ("apparmorprofile", "baseline: AppArmor"),
    ("selinuxoptions", "baseline: SELinux"),
    ("procmount_baseline", "baseline: /proc Mount Type"),
    ("seccompprofile_baseline", "baseline: Seccomp"),
    ("sysctls", "baseline: Sysctls"),
    ("restrictedvolumes", "restricted: Volume Types"),
    (
        "allowprivilegeescalation",
        "restricted: Privilege Escalation",
    ),
    ("runasnonroot", "restricted: Running as Non-root"),
    ("runasuser", "restricted: Running as Non-root user"),
    ("seccompprofile_restricted", "restricted: Seccomp"),
    ("capabilities_restricted", "restricted: Capabilities"),
    ("procmount_restricted", "restricted: /proc Mount Type"),
];

/// One fixture: its file, its level, whether the pod must pass, and the controls it judges.
struct Fixture {
    file: PathBuf,
    pass: bool,
    controls: Vec<&'static str>,
}

fn fixtures() -> Vec<Fixture> {
    let provenance = common::read(&format!("{FIXTURES}/provenance.tsv"));
    provenance
        .lines()
        .map(|line| {
            let (path, _commit) = line.split_once('\t').expect("path<TAB>commit");
            let mut parts = path.split('/');
            let (level, _version, outcome, name) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap().trim_end_matches(".yaml"),
            );
            let check = name.trim_end_matches(|c: char| c.is_ascii_digit());
            let controls: Vec<&str> = match check {
                // the minimal pod of the level passes every control of the level
                "base" | "base_linux" => CONTROLS
                    .iter()
                    .map(|(_, c)| *c)
                    .filter(|c| level == "restricted" || c.starts_with("baseline"))
                    .collect(),
                _ => vec![
                    CONTROLS
                        .iter()
                        .find(|(id, _)| *id == check)
                        .unwrap_or_else(|| panic!("{path}: no control for check `{check}`"))
                        .1,
                ],
            };
            Fixture {
                file: common::repo(FIXTURES).join(path),
                pass: outcome == "pass",
                controls,
            }
        })
        .collect()
}

/// The rules that name `control`, with how.
fn claims(control: &str) -> Vec<(&'static Rule, Option<Relation>)> {
    check::all_rules()
        .filter_map(|rule| {
            if rule.scanners.pss.contains(&control) {
                return Some((rule, None));
            }
            rule.scanners
                .related
                .iter()
                .find(|r| r.scanner == Scanner::Pss && r.check == control)
                .map(|r| (rule, Some(r.relation)))
        })
        .collect()
}

fn findings(file: &Path) -> BTreeSet<&'static str> {
    let loaded = load::load_paths(&[file.to_path_buf()]);
    assert!(
        loaded.errors.is_empty(),
        "{}: {:?}",
        file.display(),
        loaded.errors
    );
    assert_eq!(loaded.objects.len(), 1, "{}", file.display());
    check::run(&loaded.objects)
        .iter()
        .map(|f| f.rule.id)
        .collect()
}

#[test]
fn every_fixture_has_its_provenance_and_every_provenance_line_a_fixture() {
    let listed: BTreeSet<PathBuf> = fixtures().into_iter().map(|f| f.file).collect();
    let mut on_disk = BTreeSet::new();
    let mut stack = vec![common::repo(FIXTURES)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                on_disk.insert(path);
            }
        }
    }
    assert_eq!(listed, on_disk);
    assert!(listed.len() >= 70, "{} fixtures", listed.len());
}

#[test]
fn every_pod_security_control_a_rule_names_is_a_control() {
    for rule in check::all_rules() {
        let named = rule.scanners.pss.iter().copied().chain(
            rule.scanners
                .related
                .iter()
                .filter(|r| r.scanner == Scanner::Pss)
                .map(|r| r.check),
        );
        for control in named {
            assert!(
                CONTROLS.iter().any(|(_, c)| *c == control),
                "{} names `{control}`, not a Pod Security control",
                rule.id
            );
        }
    }
}

#[test]
fn every_control_the_fixtures_judge_is_claimed_by_a_rule() {
    for (check, control) in CONTROLS {
        assert!(
            !claims(control).is_empty(),
            "no rule claims {control} (upstream check {check})"
        );
    }
}

#[test]
fn failing_pods_get_a_finding_of_the_control_and_passing_pods_none_from_an_exact_rule() {
    let mut wrong = Vec::new();
    let (mut failing, mut passing) = (0, 0);
    for fixture in fixtures() {
        let found = findings(&fixture.file);
        let name = fixture
            .file
            .strip_prefix(common::repo(FIXTURES))
            .unwrap()
            .display()
            .to_string();
        for control in &fixture.controls {
            let rules = claims(control);
            if fixture.pass {
                passing += 1;
                let exact: Vec<&str> = rules
                    .iter()
                    .filter(|(_, how)| matches!(how, None | Some(Relation::Part)))
                    .map(|(r, _)| r.id)
                    .filter(|id| found.contains(id))
                    .collect();
                if !exact.is_empty() {
                    wrong.push(format!("{name} passes {control}, but {exact:?} report it"));
                }
            } else {
                failing += 1;
                if !rules.iter().any(|(r, _)| found.contains(r.id)) {
                    let ids: Vec<&str> = rules.iter().map(|(r, _)| r.id).collect();
                    wrong.push(format!(
                        "{name} fails {control}, and none of {ids:?} reports it (found {found:?})"
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        failing >= 40 && passing >= 40,
        "{failing} failing, {passing} passing judgements"
    );
}
