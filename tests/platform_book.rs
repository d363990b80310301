//! The book's preset pages, checked against the tool: the platform-teams chapter is run as
//! written (its files created, its commands run, their output compared), and the preset
//! reference must document every shipped preset, setting, floor and template control.

mod common;

use std::fs;
use std::path::Path;

/// The fenced blocks of a Markdown page: (info string, body).
fn blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_string(), String::new())),
            (Some(_), Some("")) => out.extend(current.take()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

/// Runs `$ [VAR=value ...] kubeward ARGS` in `dir`; returns stdout then stderr, and success.
fn run(dir: &Path, command: &str) -> (String, bool) {
    let mut words = command.split_whitespace().peekable();
    let mut cmd = common::run::kubeward();
    cmd.current_dir(dir).env_remove("KUBEWARD_PRESETS_DIR");
    while let Some((name, value)) = words.peek().and_then(|w| w.split_once('=')) {
        cmd.env(name, value);
        words.next();
    }
    assert_eq!(words.next(), Some("kubeward"), "{command}");
    let out = cmd.args(words).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
    (text, out.status.success())
}

/// Whether `actual` matches `expected` line by line, a `...` line standing for any lines.
fn matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"...", rest)) => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((line, rest)) => actual.split_first().is_some_and(|(first, tail)| {
            first.trim_end() == line.trim_end() && matches(rest, tail)
        }),
    }
}

#[test]
fn the_platform_teams_chapter_runs_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut commands = 0;
    let mut files = 0;
    for (info, body) in blocks(&common::book::page("platform-teams.md")) {
        if info == "yaml chapter-file"
            && let Some(name) = body.lines().next().and_then(|l| l.strip_prefix("# file: "))
        {
            common::write(&dir.path().join(name), &body);
            files += 1;
        }
        if info != "console" {
            continue;
        }
        let mut lines = body.lines().peekable();
        while let Some(line) = lines.next() {
            let command = line
                .strip_prefix("$ ")
                .expect("a console block starts with a command");
            let mut expected = Vec::new();
            while let Some(next) = lines.next_if(|l| !l.starts_with("$ ")) {
                expected.push(next);
            }
            let (output, success) = run(dir.path(), command);
            let actual: Vec<&str> = output.lines().collect();
            assert!(
                matches(&expected, &actual),
                "$ {command}\nexpected:\n{}\nactual:\n{output}",
                expected.join("\n")
            );
            let wants_failure = expected.iter().any(|l| l.starts_with("error:"));
            assert_eq!(success, !wants_failure, "$ {command}\n{output}");
            commands += 1;
        }
    }
    assert!(
        files >= 5 && commands >= 6,
        "{files} files, {commands} commands"
    );
    assert!(dir.path().join("k8s/deployment-ledger-api.yaml").is_file());
}

#[test]
fn the_chapter_shows_the_real_error_of_a_template_that_drops_run_as_non_root() {
    let page = common::book::page("platform-teams.md");
    let (_, shown) = blocks(&page)
        .into_iter()
        .find(|(info, body)| info == "text" && body.starts_with("error: rendering failed"))
        .expect("the chapter shows the error");
    let dir = tempfile::tempdir().unwrap();
    for (info, body) in blocks(&page) {
        if info == "yaml chapter-file"
            && let Some(name) = body.lines().next().and_then(|l| l.strip_prefix("# file: "))
        {
            common::write(&dir.path().join(name), &body);
        }
    }
    run(dir.path(), "kubeward templates export templates");
    let template = dir.path().join("templates/deployment.yaml");
    let text = fs::read_to_string(&template).unwrap();
    fs::write(
        &template,
        text.replace("runAsNonRoot: true", "runAsNonRoot: false"),
    )
    .unwrap();
    let (output, success) = run(
        dir.path(),
        "kubeward render -f kubeward.yaml --presets-dir presets --templates templates",
    );
    assert!(!success);
    assert_eq!(output.trim_end(), shown.trim_end());
}

#[test]
fn the_preset_reference_documents_every_preset_setting_floor_and_control() {
    let page = common::book::page("reference/presets.md");
    for (name, _) in kubeward::preset::SHIPPED {
        assert!(
            page.contains(&format!("### `{name}`")),
            "shipped preset {name}"
        );
    }
    let restricted = kubeward::preset::resolve(
        "restricted",
        Path::new("."),
        kubeward::preset::Lookup::default(),
    )
    .unwrap();
    let mut paths = Vec::new();
    leaf_paths(
        &serde_json::to_value(&restricted.preset).unwrap(),
        "",
        &mut paths,
    );
    paths.extend([
        "apiServer.tokenAudience".to_string(),
        "sealing".to_string(),
        "templates".to_string(),
    ]);
    for path in paths {
        assert!(page.contains(&format!("`{path}`")), "setting {path}");
    }
    let all_floors = kubeward::preset::floors::Floors {
        read_only_root_filesystem: Some(true),
        spread_across_nodes: Some(true),
        seccomp_profile: Some(kubeward::preset::floors::SeccompFloor::RuntimeDefault),
        min_replicas: Some(1),
        max_token_expiration_seconds: Some(600),
        min_sensitivity: Some(kubeward::spec::Sensitivity::Public),
        allowed_registries: Some(vec![]),
        require_image_digest: Some(true),
    };
    for floor in serde_json::to_value(&all_floors)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
    {
        assert!(page.contains(&format!("`floors.{floor}`")), "floor {floor}");
    }
    for control in kubeward::render::invariants::CONTROLS {
        assert!(
            page.contains(&format!("`{}`", control.id)),
            "control {}",
            control.id
        );
    }
}

fn leaf_paths(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    match value.as_object() {
        Some(map) if !kubeward::preset::ATOMIC.contains(&format!("spec.{path}").as_str()) => {
            for (key, inner) in map {
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                leaf_paths(inner, &here, out);
            }
        }
        _ => out.push(path.to_string()),
    }
}
