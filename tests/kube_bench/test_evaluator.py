"""Unit tests of kube_bench_eval: each pins a point of kube-bench's check semantics where a
wrong evaluator would pass a broken command line (or fail a good one)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kube_bench_eval import CHECKS, Item, compare, encryption_provider_ok, failing, find_value, passes  # noqa: E402


def check(id: str):
    return next(c for c in CHECKS if c.id == id)


def test_a_flag_is_found_with_its_value_after_the_equals_sign() -> None:
    assert find_value("kube-apiserver --audit-log-maxage=30 --x", Item("--audit-log-maxage")) == (True, "30")
    assert find_value("kube-apiserver --x=1", Item("--audit-log-maxage")) == (False, "")


def test_a_bare_flag_is_true_and_a_spaced_value_is_read_only_for_comparisons() -> None:
    assert find_value("etcd --client-cert-auth", Item("--client-cert-auth", op="eq", value="true")) == (True, "true")
    assert find_value("kube-apiserver --audit-log-path /var/log/a", Item("--audit-log-path", op="eq", value="x")) == (True, "/var/log/a")
    assert find_value("kube-apiserver --profiling --x=1", Item("--profiling", op="eq", value="false")) == (True, "true")


def test_booleans_compare_without_case_other_values_exactly() -> None:
    assert compare("eq", "FALSE", "false")
    assert not compare("eq", "0", "false")
    assert not compare("eq", "127.0.0.01", "127.0.0.1")
    assert compare("noteq", "TRUE", "false")


def test_has_is_a_substring_search_and_valid_elements_splits_at_commas() -> None:
    assert compare("has", "NodeRestriction,EventRateLimit", "Node")
    assert not compare("nothave", "Node,AlwaysAllow", "AlwaysAllow")
    assert compare("valid_elements", "A,B,", "A,B,C")
    assert not compare("valid_elements", "A,D", "A,B,C")
    assert not compare("valid_elements", "", "A")
    assert not compare("gte", "abc", "30")


def test_an_unset_flag_fails_a_comparison_but_passes_its_or_alternative() -> None:
    assert not passes(check("1.2.1"), "kube-apiserver --profiling=false")
    assert passes(check("1.2.21"), "kube-apiserver --profiling=false")
    assert not passes(check("1.2.21"), "kube-apiserver --service-account-lookup=false")
    assert passes(check("2.3"), "etcd --auto-tls=False")
    assert not passes(check("2.3"), "etcd --auto-tls=true")


def test_and_checks_need_every_item() -> None:
    assert not passes(check("1.2.4"), "kube-apiserver --kubelet-client-certificate=/c")
    assert passes(check("1.2.4"), "kube-apiserver --kubelet-client-certificate=/c --kubelet-client-key=/k")
    assert failing("scheduler", "kube-scheduler --profiling=false") == set()
    assert failing("scheduler", "kube-scheduler --bind-address=0.0.0.0") == {"1.4.1", "1.4.2"}


def test_the_encryption_check_reads_the_line_after_the_last_providers() -> None:
    good = "resources:\n- resources:\n  - secrets\n  providers:\n  - secretbox:\n      keys: []\n"
    assert encryption_provider_ok(good)
    assert not encryption_provider_ok(good.replace("secretbox:", "identity: {}"))
    assert not encryption_provider_ok("kind: EncryptionConfiguration\n")
