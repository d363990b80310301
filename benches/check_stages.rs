//! Where the time of `kubeward check` goes, stage by stage, on a corpus folder:
//! `cargo bench --bench check_stages -- CORPUS_DIR` (scripts/bench-check.sh makes the corpus).
//! Reading and parsing, the rules (with suppressions), both as the command runs them (each
//! object judged as it is read, then pruned), the same with every preset floor applied
//! (`check --preset`), the line of every finding, then each output form written to memory;
//! the best of five runs of each stage, and objects per second for the whole.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kubeward::check::policy::Policy;
use kubeward::check::{self, Severity, load, report::Report};
use kubeward::preset::floors::{Floors, Locks, SeccompFloor};

fn best_of<T>(runs: usize, mut stage: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = stage();
        best = best.min(start.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

fn main() {
    let Some(corpus) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo bench --bench check_stages -- CORPUS_DIR");
        std::process::exit(2);
    };
    let paths = [PathBuf::from(corpus)];
    let (load_time, loaded) = best_of(5, || load::load_paths(&paths));
    let (rules_time, findings) = best_of(5, || check::run(&loaded.objects));
    let no_floors = Policy::default();
    let (command_time, _) = best_of(5, || check::check_paths(&paths, None, None, &no_floors));
    let every_floor = Policy {
        floors: vec![Locks {
            preset: "acme".into(),
            floors: Floors {
                read_only_root_filesystem: Some(true),
                spread_across_nodes: Some(true),
                seccomp_profile: Some(SeccompFloor::RuntimeDefault),
                min_replicas: Some(2),
                max_token_expiration_seconds: Some(3600),
                min_sensitivity: None,
                allowed_registries: Some(vec!["ghcr.io/acme".into()]),
                require_image_digest: Some(true),
            },
            locked_at: Default::default(),
            ..Locks::default()
        }],
        ..Policy::default()
    };
    let (floors_time, _) = best_of(5, || check::run_with(&loaded.objects, &every_floor));
    let (lines_time, report) = best_of(5, || Report::new(&loaded, &findings, Severity::Warning));
    let (text_time, _) = best_of(5, || report.text());
    let written = |write: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut out = Vec::new();
        write(&mut out).expect("a report writes to memory");
        out.len()
    };
    let (json_time, json_bytes) = best_of(5, || written(&|out| report.write_json(out)));
    let (sarif_time, sarif_bytes) = best_of(5, || written(&|out| report.write_sarif(out)));
    let objects = loaded.objects.len();
    let bytes: usize = loaded.sources.iter().map(|s| s.text.len()).sum();
    let total = load_time + rules_time + lines_time + text_time;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "corpus: {objects} objects, {} files, {:.1} MB, {} findings",
        loaded.sources.len(),
        bytes as f64 / 1e6,
        findings.len()
    );
    println!("read + split + parse  {:8.1} ms", ms(load_time));
    println!("rules + suppressions  {:8.1} ms", ms(rules_time));
    println!(
        "as `check` does it    {:8.1} ms (each object judged as it is read, then pruned)",
        ms(command_time)
    );
    println!("... with every floor  {:8.1} ms", ms(floors_time));
    println!("finding lines         {:8.1} ms", ms(lines_time));
    println!("text report           {:8.1} ms", ms(text_time));
    println!(
        "json report           {:8.1} ms ({:.1} MB)",
        ms(json_time),
        json_bytes as f64 / 1e6
    );
    println!(
        "sarif report          {:8.1} ms ({:.1} MB)",
        ms(sarif_time),
        sarif_bytes as f64 / 1e6
    );
    println!(
        "load + rules + text   {:8.1} ms = {:.0} objects/s",
        ms(total),
        objects as f64 / total.as_secs_f64()
    );
}
