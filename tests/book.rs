//! Every example in the book (`book/src`) is checked, so the book cannot drift from the code.
//! Fenced blocks are told apart by their info string:
//!
//! - ```` ```yaml kubeward ````: a whole spec; it must match the JSON Schema and render.
//! - ```` ```yaml kubeward-fragment ````: part of a spec, laid over a minimal service; the
//!   result must match the schema and render.
//! - ```` ```yaml kubeward-invalid ````: a spec kubeward must refuse (exit 2); the block right
//!   after it, ```` ```text kubeward-error ````, must be exactly what kubeward prints
//!   (`UPDATE_BOOK=1 cargo test --test book` rewrites these blocks with what it prints).
//! - ```` ```yaml kubeward-output ````: objects (or parts of objects: every key shown must be
//!   there, lists in full) of the bundle of the page's last spec or fragment, each line byte
//!   for byte as kubeward writes it (keys in its order, its quoting and indentation).
//! - ```` ```yaml preset ````: a preset file; it must match the preset schema, and a spec of the
//!   same page that names a preset file gets it.
//! - ```` ```yaml chapter-file ````: a file (`# file: PATH` first) that the chapter's own test
//!   writes and runs as written (tests/platform_book.rs); here it must match its schema.
//! - ```` ```yaml annotated-excerpt ````: part of `render --annotate` output (tests/trainers_book.rs
//!   checks it is verbatim).
//! - ```` ```yaml github-actions ````: CI workflow steps (their page's own test runs them).
//! - ```` ```yaml kubeward-check ````: a suppressions file or a check configuration (their
//!   page's own test checks with them, tests/check_cli.rs).
//! - ```` ```yaml kubernetes ````: other Kubernetes objects; each must have apiVersion, kind and
//!   metadata.name.
//! - ```` ```yaml cluster ````: a whole cluster spec (`SecureCluster`); it must match the cluster
//!   schema and `kubeward cluster` must render it. ```` ```yaml cluster-invalid ```` is one it
//!   must refuse, followed by the ```` ```text kubeward-error ```` it prints.
//! - ```` ```yaml cluster-output ````: `# file: NAME` first, then documents (or parts of them)
//!   of that file of the page's last cluster render, each found by its `kind`, written byte for
//!   byte as kubeward writes it.
//! - a `yaml` block without one of these tags fails the test; every `kubeward ...` line of a
//!   `sh` or `console` block must parse as a command line.
//!
//! Files and variables a spec reads (`fromFile`, `fromEnv`, `tls.ca`, the controller
//! certificate of `sealing`) are made up for the render. With `KUBEWARD_BOOK_EXPORT=DIR`, each rendered spec is also written to
//! `DIR/specs/<id>/kubeward.yaml` and its bundle to `DIR/rendered/<id>/`, for the scanners of
//! scripts/test.sh.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use clap::Parser;
use common::run::success_stdout;
use kubeward::cli::Cli;
use kubeward::cli::schema::SchemaKind;
use serde_json::{Value, json};

/// The service a fragment is laid over.
const BASE: &str = "\
apiVersion: kubeward.dev/v1alpha1
kind: SecureService
metadata: { name: api, namespace: shop }
spec:
  image: ghcr.io/acme/api:1.0.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
  port: 8080
";

/// One fenced block of a page.
struct Block {
    page: String,
    line: usize,
    language: String,
    tag: String,
    text: String,
}

impl Block {
    fn place(&self) -> String {
        format!("book/src/{}:{}", self.page, self.line)
    }
}

fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            pages(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The fenced blocks of every page, page by page in file-name order.
fn blocks() -> Vec<Block> {
    let root = common::repo("book/src");
    let mut files = Vec::new();
    pages(&root, &mut files);
    files.sort();
    let mut blocks = Vec::new();
    for file in files {
        let page = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        let mut open: Option<(usize, usize, String, Vec<&str>)> = None;
        for (index, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            match &mut open {
                None => {
                    if let Some(info) = trimmed.strip_prefix("```") {
                        open = Some((index + 1, indent, info.trim().to_string(), Vec::new()));
                    }
                }
                Some((start, fence_indent, info, body)) => {
                    if trimmed == "```" {
                        let mut words = info.split([' ', ',']).filter(|w| !w.is_empty());
                        blocks.push(Block {
                            page: page.clone(),
                            line: *start,
                            language: words.next().unwrap_or_default().to_string(),
                            tag: words.next().unwrap_or_default().to_string(),
                            text: body.join("\n") + "\n",
                        });
                        open = None;
                    } else {
                        body.push(line.get(*fence_indent..).unwrap_or(trimmed));
                    }
                }
            }
        }
        assert!(
            open.is_none(),
            "book/src/{page}: a code block is never closed"
        );
    }
    blocks
}

/// A folder in which a spec renders: the spec, the files it reads, its state.
struct Workspace {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
    /// The preset file the spec names, written beside it.
    preset_file: Option<String>,
}

impl Workspace {
    fn new(spec: &Value, preset: Option<&str>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let write =
            |relative: &str, content: &str| common::write(&dir.path().join(relative), content);
        write(
            "kubeward.yaml",
            &serde_json::to_string_pretty(spec).unwrap(),
        );
        let mut env = Vec::new();
        for secret in spec["spec"]["secrets"].as_array().into_iter().flatten() {
            if let Some(path) = secret["fromFile"].as_str() {
                write(path, "a value from a file\n");
            }
            if let Some(var) = secret["fromEnv"].as_str() {
                env.push((var.to_string(), "a value from the environment".to_string()));
            }
        }
        let ca = &spec["spec"]["tls"]["ca"];
        if let (Some(cert), Some(key)) = (ca["cert"].as_str(), ca["key"].as_str()) {
            let key_pair = rcgen::KeyPair::generate().unwrap();
            let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
            params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
            write(cert, &params.self_signed(&key_pair).unwrap().pem());
            write(key, &key_pair.serialize_pem());
        }
        if let Some(cert) = spec["spec"]["sealing"]["certificate"].as_str() {
            let cert = dir.path().join(cert);
            std::fs::create_dir_all(cert.parent().unwrap()).unwrap();
            common::sealing::key_pair(2048, &dir.path().join("controller-key.pem"), &cert);
        }
        let mut preset_file = None;
        if let (Some(path), Some(preset)) = (spec["spec"]["preset"].as_str(), preset)
            && path.contains('/')
        {
            write(path, preset);
            preset_file = Some(path.to_string());
        }
        Workspace {
            dir,
            env,
            preset_file,
        }
    }

    fn kubeward(&self, args: &[&str]) -> Command {
        let mut cmd = common::run::kubeward();
        cmd.current_dir(self.dir.path())
            .envs(self.env.iter().cloned())
            .args(["render", "-f", "kubeward.yaml", "--state", "state"])
            .args(args);
        cmd
    }

    /// Renders to stdout and returns the objects; exports the spec and bundle when asked.
    fn render(&self, id: &str) -> Vec<Value> {
        let out = success_stdout(&mut self.kubeward(&[]));
        if let Some(export) = std::env::var_os("KUBEWARD_BOOK_EXPORT") {
            let export = PathBuf::from(export);
            let specs = export.join("specs").join(id);
            std::fs::create_dir_all(&specs).unwrap();
            std::fs::copy(
                self.dir.path().join("kubeward.yaml"),
                specs.join("kubeward.yaml"),
            )
            .unwrap();
            // The evaluator reads the preset the spec names (where the API server is).
            if let Some(path) = &self.preset_file {
                common::write(
                    &specs.join(path),
                    std::fs::read_to_string(self.dir.path().join(path)).unwrap(),
                );
            }
            let rendered = export.join("rendered").join(id);
            let rendered = rendered.to_str().unwrap();
            self.kubeward(&["-o", rendered, "--force"])
                .assert()
                .success();
        }
        serde_saphyr::from_multiple(&out).unwrap()
    }
}

/// `overlay` laid over `base`: mappings merged key by key, anything else replaced.
fn merge(base: &mut Value, overlay: &Value) {
    match (base, overlay) {
        (Value::Object(base), Value::Object(overlay)) => {
            for (key, value) in overlay {
                merge(base.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (base, overlay) => *base = overlay.clone(),
    }
}

/// Whether `actual` holds everything `shown` shows: every key of a mapping, every item of a
/// list (lists in full, in order), equal scalars.
fn shows(actual: &Value, shown: &Value) -> bool {
    match (actual, shown) {
        (Value::Object(a), Value::Object(s)) => s
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| shows(av, v))),
        (Value::Array(a), Value::Array(s)) => {
            a.len() == s.len() && a.iter().zip(s).all(|(x, y)| shows(x, y))
        }
        _ => actual == shown,
    }
}

/// The part of `actual` that `shown` shows: its keys only, in `actual`'s order, and lists
/// item by item (`shows` has checked they are as long).
fn excerpt(actual: &Value, shown: &Value) -> Value {
    match (actual, shown) {
        (Value::Object(a), Value::Object(s)) => Value::Object(
            a.iter()
                .filter_map(|(k, v)| s.get(k).map(|sv| (k.clone(), excerpt(v, sv))))
                .collect(),
        ),
        (Value::Array(a), Value::Array(s)) => {
            Value::Array(a.iter().zip(s).map(|(x, y)| excerpt(x, y)).collect())
        }
        _ => actual.clone(),
    }
}

/// The documents of an output block, each without its comment lines, with its value.
fn shown_documents(text: &str) -> Vec<(String, Value)> {
    common::bundle::documents_without_comments(text)
        .into_iter()
        .map(|doc| {
            let value = common::yaml_value(&doc);
            (doc, value)
        })
        .collect()
}

/// What an output block must say: each document it shows as kubeward writes that part of
/// the object (the keys in its order, every line byte for byte: `kubeward::yaml::block` is
/// the one style of every file kubeward writes), given as (text shown, object, part shown).
/// Under UPDATE_BOOK the block is queued for rewriting with it instead.
fn check_written(
    block: &Block,
    documents: Vec<(String, &Value, Value)>,
    refreshed: &mut Vec<(String, usize, String)>,
) {
    let place = block.place();
    let written: Vec<String> = documents
        .iter()
        .map(|(_, actual, shown)| kubeward::yaml::block::document(&excerpt(actual, shown)))
        .collect();
    if common::book::updating() {
        let prefix = block.text.lines().take_while(|l| l.starts_with('#'));
        let mut text: String = prefix.map(|l| format!("{l}\n")).collect();
        text.push_str(&written.join("---\n"));
        refreshed.push((block.page.clone(), block.line, text));
        return;
    }
    for ((shown_text, ..), written) in documents.iter().zip(&written) {
        assert!(
            written == shown_text,
            "{place}: the excerpt is not what kubeward writes (UPDATE_BOOK=1 cargo test --test book rewrites it); it writes:\n{written}\nthe book has:\n{shown_text}"
        );
    }
}

fn export_id(block: &Block) -> String {
    format!(
        "{}-{}",
        block.page.trim_end_matches(".md").replace('/', "-"),
        block.line
    )
}

#[test]
fn every_yaml_example_in_the_book_is_checked() {
    let spec_schema = common::validator(SchemaKind::Spec);
    let preset_schema = common::validator(SchemaKind::Preset);
    let blocks = blocks();
    let mut checked = 0;
    let mut page = String::new();
    let cluster_schema = common::validator(SchemaKind::Cluster);
    let mut rendered: Option<Vec<Value>> = None;
    let mut cluster: Option<tempfile::TempDir> = None;
    let mut preset: Option<String> = None;
    let mut expected_error: Option<(String, String)> = None;
    let mut refreshed = Vec::new();
    for block in &blocks {
        if block.page != page {
            (page, rendered, preset, cluster) = (block.page.clone(), None, None, None);
        }
        let place = block.place();
        if let Some((invalid_at, stderr)) = expected_error.take() {
            assert!(
                block.language == "text" && block.tag == "kubeward-error",
                "{invalid_at}: a kubeward-invalid block must be followed by a `text kubeward-error` block"
            );
            if common::book::updating() {
                refreshed.push((block.page.clone(), block.line, stderr));
            } else {
                assert_eq!(
                    stderr.trim_end(),
                    block.text.trim_end(),
                    "{place}: kubeward prints (left) otherwise than the book (right; UPDATE_BOOK=1 cargo test --test book rewrites it)"
                );
            }
            checked += 1;
            continue;
        }
        assert!(
            block.tag != "kubeward-error",
            "{place}: no kubeward-invalid block before it"
        );
        if block.language != "yaml" {
            continue;
        }
        match block.tag.as_str() {
            "kubeward" | "kubeward-fragment" => {
                let mut spec = common::yaml_value(if block.tag == "kubeward" {
                    &block.text
                } else {
                    BASE
                });
                if block.tag == "kubeward-fragment" {
                    merge(&mut spec, &common::yaml_value(&block.text));
                }
                let errors = common::schema_errors(&spec_schema, &spec);
                assert!(
                    errors.is_empty(),
                    "{place}: the schema refuses the spec: {errors:#?}"
                );
                rendered = Some(Workspace::new(&spec, preset.as_deref()).render(&export_id(block)));
            }
            "kubeward-invalid" => {
                let spec = common::yaml_value(&block.text);
                let workspace = Workspace::new(&spec, preset.as_deref());
                std::fs::write(workspace.dir.path().join("kubeward.yaml"), &block.text).unwrap();
                let out = workspace
                    .kubeward(&[])
                    .assert()
                    .code(2)
                    .stdout("")
                    .get_output()
                    .clone();
                expected_error = Some((place.clone(), String::from_utf8(out.stderr).unwrap()));
            }
            "kubeward-output" => {
                let objects = rendered.as_ref().unwrap_or_else(|| {
                    panic!("{place}: no spec or fragment before it on the page")
                });
                let mut documents = Vec::new();
                for (text, shown) in shown_documents(&block.text) {
                    let (kind, name) = (&shown["kind"], &shown["metadata"]["name"]);
                    let actual = objects
                        .iter()
                        .find(|o| &o["kind"] == kind && &o["metadata"]["name"] == name)
                        .unwrap_or_else(|| panic!("{place}: the bundle has no {kind} {name}"));
                    assert!(
                        shows(actual, &shown),
                        "{place}: the rendered {kind} {name} differs:\n{}",
                        serde_json::to_string_pretty(actual).unwrap()
                    );
                    documents.push((text, actual, shown));
                }
                check_written(block, documents, &mut refreshed);
            }
            "preset" => {
                let errors =
                    common::schema_errors(&preset_schema, &common::yaml_value(&block.text));
                assert!(
                    errors.is_empty(),
                    "{place}: the preset schema refuses it: {errors:#?}"
                );
                preset = Some(block.text.clone());
            }
            "chapter-file" => {
                let value = common::yaml_value(&block.text);
                let schema = match value["kind"].as_str() {
                    Some("Preset") => Some(&preset_schema),
                    Some("SecureService") => Some(&spec_schema),
                    // Manifests and the presets folder's configuration: the chapter runs them.
                    _ => None,
                };
                match schema {
                    Some(schema) => {
                        let errors = common::schema_errors(schema, &value);
                        assert!(
                            errors.is_empty(),
                            "{place}: the schema refuses it: {errors:#?}"
                        );
                    }
                    None => assert!(
                        value["apiVersion"].is_string() && value["kind"].is_string(),
                        "{place}: a file without apiVersion and kind"
                    ),
                }
            }
            "annotated-excerpt" => {
                assert!(
                    common::yaml_value(&block.text).is_object(),
                    "{place}: an excerpt of annotated objects"
                );
            }
            "kubeward-check" => {
                let value = common::yaml_value(&block.text);
                assert!(
                    matches!(
                        value["kind"].as_str(),
                        Some("Suppressions" | "CheckConfiguration")
                    ),
                    "{place}: a suppressions file or a check configuration"
                );
            }
            "github-actions" => {
                let steps = common::yaml_value(&block.text);
                assert!(steps.is_array(), "{place}: a list of workflow steps");
            }
            "cluster" | "cluster-invalid" => {
                let dir = tempfile::tempdir().unwrap();
                let run = common::cluster::render(dir.path(), &block.text, &[]);
                if block.tag == "cluster" {
                    let errors =
                        common::schema_errors(&cluster_schema, &common::yaml_value(&block.text));
                    assert!(
                        errors.is_empty(),
                        "{place}: the cluster schema refuses it: {errors:#?}"
                    );
                    assert_eq!(run.code, Some(0), "{place}: {}", run.stderr);
                    cluster = Some(dir);
                } else {
                    assert_eq!((run.code, run.stdout.as_str()), (Some(2), ""), "{place}");
                    expected_error = Some((place.clone(), run.stderr));
                }
            }
            "cluster-output" => {
                let dir = cluster
                    .as_ref()
                    .unwrap_or_else(|| panic!("{place}: no cluster spec before it on the page"));
                let name = block
                    .text
                    .lines()
                    .next()
                    .and_then(|l| l.strip_prefix("# file: "))
                    .unwrap_or_else(|| panic!("{place}: `# file: NAME` first"));
                let actual = common::cluster::documents(dir.path(), name);
                let mut documents = Vec::new();
                for (text, shown) in shown_documents(&block.text) {
                    let found = actual.iter().find(|a| a["kind"] == shown["kind"]);
                    assert!(
                        found.is_some_and(|a| shows(a, &shown)),
                        "{place}: {name} differs:\n{}",
                        serde_json::to_string_pretty(&actual).unwrap()
                    );
                    documents.push((text, found.unwrap(), shown));
                }
                check_written(block, documents, &mut refreshed);
            }
            "kubernetes" => {
                for object in serde_saphyr::from_multiple::<Value>(&block.text).unwrap() {
                    for key in ["apiVersion", "kind"] {
                        assert!(object[key].is_string(), "{place}: an object without {key}");
                    }
                    assert!(
                        object["metadata"]["name"].is_string(),
                        "{place}: an object without a name"
                    );
                }
            }
            other => panic!(
                "{place}: a yaml block must be tagged (kubeward, kubeward-fragment, kubeward-invalid, kubeward-output, preset, chapter-file, kubernetes, github-actions, kubeward-check, annotated-excerpt, cluster, cluster-invalid, cluster-output), not {other:?}"
            ),
        }
        checked += 1;
    }
    assert!(
        expected_error.is_none(),
        "the last kubeward-invalid block has no error block"
    );
    assert!(
        checked >= 10,
        "only {checked} examples checked: are the tags right?"
    );
    rewrite_blocks(refreshed);
}

/// Writes what kubeward printed into the `kubeward-error` blocks, and what it writes into the
/// output blocks, each given by its page and the line of its opening fence (UPDATE_BOOK).
fn rewrite_blocks(blocks: Vec<(String, usize, String)>) {
    let mut by_page: std::collections::BTreeMap<String, Vec<(usize, String)>> = Default::default();
    for (page, line, text) in blocks {
        by_page.entry(page).or_default().push((line, text));
    }
    for (page, blocks) in by_page {
        let path = common::repo("book/src").join(&page);
        let old = common::read_path(&path);
        let mut lines: Vec<String> = old.lines().map(str::to_string).collect();
        for (fence, text) in blocks.into_iter().rev() {
            let indent: String = lines[fence - 1].chars().take_while(|c| *c == ' ').collect();
            let end = (fence..lines.len())
                .find(|&i| lines[i].trim() == "```")
                .unwrap_or_else(|| panic!("book/src/{page}:{fence}: the block is never closed"));
            let body = text
                .trim_end()
                .lines()
                .map(|l| format!("{indent}{l}").trim_end().to_string());
            lines.splice(fence..end, body);
        }
        common::write(&path, lines.join("\n") + "\n");
    }
}

/// The words of a shell command line up to the first pipe, redirection or list operator.
fn command_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    for word in line.split_whitespace() {
        if ["|", ">", ">>", "&&", "||", ";", "#", "2>&1"].contains(&word) {
            break;
        }
        words.push(word.trim_matches(|c| c == '\'' || c == '"').to_string());
    }
    words
}

#[test]
fn every_kubeward_command_line_in_the_book_parses() {
    let mut checked = 0;
    for block in blocks()
        .iter()
        .filter(|b| ["sh", "console", "bash"].contains(&b.language.as_str()))
    {
        for line in block.text.lines() {
            let line = line.trim().trim_start_matches("$ ");
            if !(line == "kubeward" || line.starts_with("kubeward ")) {
                continue;
            }
            if let Err(e) = Cli::try_parse_from(command_words(line)) {
                use clap::error::ErrorKind::*;
                assert!(
                    matches!(e.kind(), DisplayHelp | DisplayVersion),
                    "{}: `{line}` does not parse:\n{e}",
                    block.place()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} command lines found");
}

#[test]
fn the_checks_see_a_missing_key_and_a_shorter_list() {
    let actual = json!({ "a": { "b": [1, 2] }, "c": "d" });
    assert!(shows(&actual, &json!({ "a": { "b": [1, 2] } })));
    assert!(!shows(&actual, &json!({ "a": { "b": [1] } })));
    assert!(!shows(&actual, &json!({ "e": 1 })));
    assert_eq!(
        command_words("kubeward render -f 'x.yaml' | head"),
        ["kubeward", "render", "-f", "x.yaml"]
    );
}

/// The test files a text names: `tests/NAME.rs`, and `cargo test --test NAME`.
fn credited_tests(text: &str) -> Vec<String> {
    let name_at = |rest: &str| -> String {
        rest.chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .collect()
    };
    let mut tests = Vec::new();
    for (at, _) in text.match_indices("tests/") {
        let name = name_at(&text[at + 6..]);
        if !name.is_empty() && text[at + 6 + name.len()..].starts_with(".rs") {
            tests.push(format!("tests/{name}.rs"));
        }
    }
    for (at, marker) in text.match_indices("cargo test --test ") {
        let name = name_at(&text[at + marker.len()..]);
        tests.push(format!("tests/{name}.rs"));
    }
    tests
}

/// The tests that read every page of the book, not one page by name.
const WHOLE_BOOK_TESTS: &[&str] = &["tests/book.rs"];

/// A page that says a test checks it names a test that exists and reads that page (the
/// README's tests need only exist).
#[test]
fn every_test_the_book_credits_exists_and_reads_that_page() {
    let root = common::repo("book/src");
    let mut files = Vec::new();
    pages(&root, &mut files);
    files.push(common::repo("README.md"));
    let mut wrong = Vec::new();
    let mut credits = 0;
    for file in files {
        let page = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = common::read_path(&file);
        for test in credited_tests(&text) {
            credits += 1;
            let Ok(source) = std::fs::read_to_string(common::repo(&test)) else {
                wrong.push(format!(
                    "{}: credits {test}, which does not exist",
                    file.display()
                ));
                continue;
            };
            // the README names tests for what they do, a page for checking it
            let reads = page == "README.md"
                || source.contains(&page)
                || WHOLE_BOOK_TESTS.contains(&test.as_str());
            if !reads {
                wrong.push(format!(
                    "{}: credits {test}, which never reads {page}",
                    file.display()
                ));
            }
        }
    }
    assert!(
        credits >= 5,
        "only {credits} credits found: is the pattern right?"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
