"""Unit tests of netpol_eval on small hand-written policies.

Each test pins one point of the Kubernetes NetworkPolicy semantics, chosen where a wrong
evaluator would let a wrong bundle pass (or fail a right one). Policies are inline YAML.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from netpol_eval import External, PolicyError, Pod, World, allowed  # noqa: E402

APP = "app.kubernetes.io/name"


def pod(ns: str, app: str, **extra: str) -> Pod:
    return Pod(ns, {APP: app, **extra}, name=f"{ns}/{app}")


# a small cast, reused everywhere
API = Pod("pay", {APP: "api", "tier": "backend"}, ip="10.244.1.10",
          ports={"http": (8080, "TCP")}, name="pay/api")
WEB = pod("shop", "web")
WEB_IN_PAY = pod("pay", "web")
OTHER_IN_SHOP = pod("shop", "other")
DB = pod("db", "postgres")
DNS = Pod("kube-system", {"k8s-app": "kube-dns"}, name="kube-system/kube-dns")
NET = External("203.0.113.7")


def world(*docs: str, **kw) -> World:
    w = World(**kw)
    w.add_namespace("shop", {"team": "shop", "env": "prod"})
    w.add_namespace("pay", {"team": "pay", "env": "prod"})
    w.add_namespace("db", {"env": "prod"})
    w.add_namespace("dev", {"env": "dev"})
    for doc in docs:
        w.add_policies_yaml(doc)
    return w


def np(namespace: str, spec: str, name: str = "p") -> str:
    body = "\n".join("  " + line for line in spec.strip("\n").splitlines())
    return (f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
            f"metadata: {{name: {name}, namespace: {namespace}}}\nspec:\n{body}\n")


DENY_ALL_PAY = np("pay", """
podSelector: {}
policyTypes: [Ingress, Egress]
""", name="deny")
# ingress-only isolation of pay: lets pods of pay be sources in the peer tests below
DENY_IN_PAY = np("pay", """
podSelector: {}
policyTypes: [Ingress]
""", name="deny-in")


# ---- isolation ---------------------------------------------------------------------------


def test_no_policy_allows_everything():
    w = world()
    assert w.allowed(WEB, API, 8080)
    assert w.allowed(API, NET, 443)
    assert w.allowed(API, DNS, 53, "UDP")
    assert allowed(w, NET, API, 1, "SCTP")


def test_default_deny_blocks_both_directions():
    w = world(DENY_ALL_PAY)
    assert not w.allowed(WEB, API, 8080)  # ingress into pay
    assert not w.allowed(API, WEB, 8080)  # egress out of pay
    assert not w.allowed(API, DNS, 53, "UDP")
    assert not w.allowed(API, NET, 443)
    assert not w.allowed(API, API, 8080)  # even to itself
    assert w.allowed(WEB, OTHER_IN_SHOP, 80)  # shop is not isolated


def test_policy_selects_only_pods_of_its_own_namespace():
    w = world(np("shop", """
podSelector: {matchLabels: {app.kubernetes.io/name: api}}
policyTypes: [Ingress, Egress]
"""))
    assert w.allowed(WEB, API, 8080)  # pay/api is not shop/api
    assert w.allowed(API, NET, 443)
    assert not w.allowed(WEB, pod("shop", "api"), 8080)


def test_policy_selects_by_pod_selector():
    w = world(np("pay", """
podSelector: {matchLabels: {app.kubernetes.io/name: api}}
policyTypes: [Ingress]
"""))
    assert not w.allowed(WEB, API, 8080)
    assert w.allowed(WEB, WEB_IN_PAY, 8080)  # not selected, not isolated


def test_ingress_only_policy_leaves_egress_open_and_vice_versa():
    ing = world(np("pay", "podSelector: {}\npolicyTypes: [Ingress]"))
    assert not ing.allowed(WEB, API, 8080)
    assert ing.allowed(API, NET, 443)
    eg = world(np("pay", "podSelector: {}\npolicyTypes: [Egress]"))
    assert eg.allowed(WEB, API, 8080)
    assert not eg.allowed(API, NET, 443)


def test_union_of_policies():
    w = world(DENY_ALL_PAY, np("pay", """
podSelector: {matchLabels: {app.kubernetes.io/name: api}}
ingress: [{from: [{namespaceSelector: {matchLabels: {team: shop}}}]}]
""", name="a"), np("pay", """
podSelector: {matchLabels: {tier: backend}}
ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: db}}}]}]
""", name="b"))
    assert w.allowed(WEB, API, 8080)
    assert w.allowed(DB, API, 8080)
    assert not w.allowed(pod("dev", "x"), API, 8080)


def test_both_sides_must_admit():
    # egress from shop admitted, but pay is isolated for ingress with no rule
    w = world(np("shop", """
podSelector: {}
policyTypes: [Egress]
egress: [{}]
"""), np("pay", "podSelector: {}\npolicyTypes: [Ingress]"))
    assert not w.allowed(WEB, API, 8080)
    # ...and the other way round
    w = world(np("shop", "podSelector: {}\npolicyTypes: [Egress]"),
              np("pay", "podSelector: {}\npolicyTypes: [Ingress]\ningress: [{}]"))
    assert not w.allowed(WEB, API, 8080)


# ---- policyTypes defaulting ---------------------------------------------------------------


def test_missing_policy_types_means_ingress_only_without_egress_rules():
    w = world(np("pay", "podSelector: {}"))
    assert not w.allowed(WEB, API, 8080)
    assert w.allowed(API, NET, 443)  # egress not isolated


def test_missing_policy_types_with_egress_rules_adds_egress():
    w = world(np("pay", """
podSelector: {}
egress: [{to: [{ipBlock: {cidr: 203.0.113.0/24}}]}]
"""))
    assert not w.allowed(WEB, API, 8080)  # Ingress is always in the default
    assert w.allowed(API, NET, 443)
    assert not w.allowed(API, External("8.8.8.8"), 443)


def test_missing_policy_types_with_empty_egress_list_is_ingress_only():
    # the API server adds Egress only when len(egress) != 0
    w = world(np("pay", "podSelector: {}\negress: []"))
    assert w.allowed(API, NET, 443)


def test_explicit_policy_types_win_over_rules():
    # an Ingress-only policy with egress rules: the egress rules are inert
    w = world(np("pay", """
podSelector: {}
policyTypes: [Ingress]
ingress: [{}]
egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]
"""))
    assert w.allowed(API, NET, 443)


def test_empty_rule_lists_deny_and_empty_rule_allows():
    assert not world(np("pay", "podSelector: {}\npolicyTypes: [Ingress]\ningress: []")
                     ).allowed(WEB, API, 8080)
    w = world(np("pay", "podSelector: {}\npolicyTypes: [Ingress, Egress]\ningress: [{}]\negress: [{}]"))
    assert w.allowed(WEB, API, 8080)
    assert w.allowed(API, NET, 1, "UDP")


def test_missing_or_empty_peers_mean_everyone():
    for peers in ("", "from: []", "from: null"):
        rule = "{" + peers + ", ports: [{port: 8080}]}" if peers else "{ports: [{port: 8080}]}"
        w = world(np("pay", f"podSelector: {{}}\npolicyTypes: [Ingress]\ningress: [{rule}]"))
        assert w.allowed(WEB, API, 8080), peers
        assert w.allowed(External("8.8.8.8"), API, 8080), peers
        assert not w.allowed(WEB, API, 8081), peers


# ---- peers ---------------------------------------------------------------------------------


def test_pod_selector_alone_means_own_namespace():
    w = world(DENY_IN_PAY, np("pay", """
podSelector: {}
ingress: [{from: [{podSelector: {matchLabels: {app.kubernetes.io/name: web}}}]}]
""", name="a"))
    assert w.allowed(WEB_IN_PAY, API, 8080)
    assert not w.allowed(WEB, API, 8080)  # web in shop does not match


def test_namespace_selector_alone_means_all_pods_there():
    w = world(DENY_IN_PAY, np("pay", """
podSelector: {}
ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}]}]
""", name="a"))
    assert w.allowed(WEB, API, 8080)
    assert w.allowed(OTHER_IN_SHOP, API, 8080)
    assert not w.allowed(WEB_IN_PAY, API, 8080)


def test_empty_namespace_selector_means_every_namespace_but_null_means_own():
    everywhere = world(DENY_IN_PAY, np("pay", """
podSelector: {}
ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app.kubernetes.io/name: web}}}]}]
""", name="a"))
    assert everywhere.allowed(WEB, API, 8080)
    assert everywhere.allowed(WEB_IN_PAY, API, 8080)
    assert not everywhere.allowed(pod("shop", "x"), API, 8080)
    own = world(DENY_IN_PAY, np("pay", """
podSelector: {}
ingress: [{from: [{namespaceSelector: null, podSelector: {matchLabels: {app.kubernetes.io/name: web}}}]}]
""", name="a"))
    assert own.allowed(WEB_IN_PAY, API, 8080)
    assert not own.allowed(WEB, API, 8080)


def test_both_selectors_in_one_peer_are_anded():
    w = world(DENY_IN_PAY, np("pay", """
podSelector: {}
ingress:
- from:
  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
    podSelector: {matchLabels: {app.kubernetes.io/name: web}}
""", name="a"))
    assert w.allowed(WEB, API, 8080)
    assert not w.allowed(OTHER_IN_SHOP, API, 8080)  # right namespace, wrong app
    assert not w.allowed(WEB_IN_PAY, API, 8080)  # right app, wrong namespace
    assert not w.allowed(pod("dev", "web"), API, 8080)


def test_two_separate_peers_are_ored():
    w = world(DENY_IN_PAY, np("pay", """
podSelector: {}
ingress:
- from:
  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
  - podSelector: {matchLabels: {app.kubernetes.io/name: web}}
""", name="a"))
    assert w.allowed(WEB, API, 8080)
    assert w.allowed(OTHER_IN_SHOP, API, 8080)  # any pod of shop
    assert w.allowed(WEB_IN_PAY, API, 8080)  # web in the policy's own namespace
    assert not w.allowed(pod("dev", "web"), API, 8080)


def test_namespace_labels_come_from_the_world():
    w = world(DENY_IN_PAY, np("pay", """
podSelector: {}
ingress: [{from: [{namespaceSelector: {matchLabels: {env: prod}}}]}]
""", name="a"))
    assert w.allowed(WEB, API, 8080)
    assert w.allowed(DB, API, 8080)
    assert not w.allowed(pod("dev", "web"), API, 8080)
    assert not w.allowed(pod("unknown-ns", "web"), API, 8080)  # only its name label


def test_every_namespace_has_its_name_label():
    w = World()
    w.add_namespace("x", {"kubernetes.io/metadata.name": "spoofed"})
    assert w.namespace_labels("x")["kubernetes.io/metadata.name"] == "x"
    assert w.namespace_labels("never-added") == {"kubernetes.io/metadata.name": "never-added"}


def test_selectors_never_match_external_addresses():
    w = world(np("pay", """
podSelector: {}
policyTypes: [Ingress, Egress]
ingress: [{from: [{namespaceSelector: {}}]}]
egress: [{to: [{namespaceSelector: {}}]}]
"""))
    assert not w.allowed(API, NET, 443)
    assert not w.allowed(NET, API, 8080)
    assert w.allowed(API, DB, 5432)


# ---- label selector operators --------------------------------------------------------------


@pytest.mark.parametrize("expr,matches", [
    ("{key: app.kubernetes.io/name, operator: In, values: [web, x]}", {"shop/web"}),
    ("{key: app.kubernetes.io/name, operator: NotIn, values: [web]}", {"shop/other", "shop/none"}),
    ("{key: role, operator: Exists}", {"shop/other"}),
    ("{key: role, operator: DoesNotExist}", {"shop/web", "shop/none"}),
])
def test_match_expressions(expr, matches):
    w = world(DENY_IN_PAY, np("pay", f"""
podSelector: {{}}
ingress: [{{from: [{{namespaceSelector: {{}}, podSelector: {{matchExpressions: [{expr}]}}}}]}}]
""", name="a"))
    cast = [pod("shop", "web"), pod("shop", "other", role="x"), Pod("shop", {}, name="shop/none")]
    got = {p.name for p in cast if w.allowed(p, API, 8080)}
    assert got == matches


def test_match_labels_and_expressions_are_anded():
    w = world(DENY_IN_PAY, np("pay", """
podSelector: {}
ingress:
- from:
  - namespaceSelector: {}
    podSelector:
      matchLabels: {app.kubernetes.io/name: web}
      matchExpressions: [{key: role, operator: In, values: [front]}]
""", name="a"))
    assert w.allowed(pod("shop", "web", role="front"), API, 8080)
    assert not w.allowed(pod("shop", "web"), API, 8080)
    assert not w.allowed(pod("shop", "x", role="front"), API, 8080)


def test_match_labels_compares_strings():
    # a label value written as a YAML number or boolean still means the string
    w = world(DENY_IN_PAY, np("pay", """
podSelector: {}
ingress: [{from: [{podSelector: {matchLabels: {version: 2}}}]}]
""", name="a"))
    assert w.allowed(Pod("pay", {"version": "2"}), API, 8080)
    assert not w.allowed(Pod("pay", {"version": "20"}), API, 8080)


# ---- ipBlock -------------------------------------------------------------------------------


EGRESS_BLOCK = np("pay", """
podSelector: {}
policyTypes: [Egress]
egress:
- to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.96.0.0/12, 10.1.2.3/32]}}]
""")


def test_ip_block_and_except():
    w = world(EGRESS_BLOCK)
    assert w.allowed(API, External("10.0.0.1"), 443)
    assert w.allowed(API, External("10.255.255.255"), 443)
    assert not w.allowed(API, External("10.96.0.1"), 443)  # in except
    assert not w.allowed(API, External("10.111.255.255"), 443)  # last of the except
    assert w.allowed(API, External("10.112.0.0"), 443)  # just past it
    assert not w.allowed(API, External("10.1.2.3"), 443)
    assert w.allowed(API, External("10.1.2.4"), 443)
    assert not w.allowed(API, External("11.0.0.1"), 443)
    assert not w.allowed(API, External("fd00::1"), 443)  # other family


def test_ip_block_for_ingress():
    w = world(np("pay", """
podSelector: {}
ingress: [{from: [{ipBlock: {cidr: 198.51.100.0/24}}]}]
"""))
    assert w.allowed(External("198.51.100.9"), API, 8080)
    assert not w.allowed(External("198.51.101.9"), API, 8080)


def test_pods_do_not_match_ip_blocks_by_default():
    w = world(DENY_IN_PAY, np("pay", """
podSelector: {}
egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]
""", name="a"))
    db = Pod("db", {APP: "postgres"}, ip="10.244.2.2")
    assert w.allowed(API, External("10.244.2.2"), 5432)
    assert not w.allowed(API, db, 5432)
    # the other reading, opt-in
    w2 = world(DENY_IN_PAY, np("pay", """
podSelector: {}
egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]
""", name="a"), pod_ips_match_ipblock=True)
    assert w2.allowed(API, db, 5432)


def test_ipv6_block():
    w = world(np("pay", """
podSelector: {}
policyTypes: [Egress]
egress: [{to: [{ipBlock: {cidr: "2001:db8::/32", except: ["2001:db8:1::/48"]}}]}]
"""))
    assert w.allowed(API, External("2001:db8::1"), 443)
    assert not w.allowed(API, External("2001:db8:1::1"), 443)
    assert not w.allowed(API, External("192.0.2.1"), 443)


# ---- ports ---------------------------------------------------------------------------------


PORTS = np("pay", """
podSelector: {}
policyTypes: [Ingress, Egress]
ingress:
- ports: [{port: 8080}]
egress:
- to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
  ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
- to: [{ipBlock: {cidr: 203.0.113.0/24}}]
  ports: [{port: 8000, endPort: 8010, protocol: TCP}]
- to: [{ipBlock: {cidr: 198.51.100.0/24}}]
  ports: [{protocol: UDP}]
""")


def test_port_and_protocol_must_match():
    w = world(PORTS)
    assert w.allowed(WEB, API, 8080)  # protocol defaults to TCP
    assert not w.allowed(WEB, API, 8080, "UDP")
    assert not w.allowed(WEB, API, 8081)
    assert w.allowed(API, DNS, 53, "UDP")
    assert w.allowed(API, DNS, 53, "TCP")
    assert not w.allowed(API, DNS, 53, "SCTP")
    assert not w.allowed(API, DNS, 80)


def test_end_port_range_is_inclusive():
    w = world(PORTS)
    assert not w.allowed(API, NET, 7999)
    assert w.allowed(API, NET, 8000)
    assert w.allowed(API, NET, 8005)
    assert w.allowed(API, NET, 8010)
    assert not w.allowed(API, NET, 8011)
    assert not w.allowed(API, NET, 8005, "UDP")


def test_an_empty_ports_list_is_no_restriction_as_a_missing_one():
    # NetworkPolicyIngressRule/EgressRule.ports: "If this field is empty or missing, this rule
    # matches all ports (traffic not restricted by port)."
    for ports in ("", ", ports: []", ", ports: null"):
        w = world(np("pay", f"""
podSelector: {{}}
policyTypes: [Ingress, Egress]
ingress: [{{from: [{{namespaceSelector: {{matchLabels: {{team: shop}}}}}}]{ports}}}]
egress: [{{to: [{{ipBlock: {{cidr: 203.0.113.0/24}}}}]{ports}}}]
"""))
        for port, proto in ((1, "TCP"), (8080, "TCP"), (53, "UDP"), (65535, "SCTP")):
            assert w.allowed(WEB, API, port, proto), (ports, port, proto)
            assert w.allowed(API, NET, port, proto), (ports, port, proto)
        assert not w.allowed(DB, API, 8080), ports  # the peers still count
        assert not w.allowed(API, External("198.51.100.1"), 443), ports


def test_port_entry_without_port_means_all_ports_of_its_protocol():
    w = world(PORTS)
    far = External("198.51.100.1")
    assert w.allowed(far, API, 8080)  # ingress rule has no from
    assert w.allowed(API, far, 1, "UDP")
    assert w.allowed(API, far, 65535, "UDP")
    assert not w.allowed(API, far, 443, "TCP")


def test_peer_and_port_must_match_in_the_same_rule():
    w = world(PORTS)
    assert not w.allowed(API, DNS, 8005)  # 8005 belongs to the ipBlock rule
    assert not w.allowed(API, NET, 53, "UDP")  # 53 belongs to the DNS rule


def test_named_ports_resolve_on_the_destination_pod():
    w = world(DENY_IN_PAY, np("pay", """
podSelector: {}
ingress: [{ports: [{port: http}]}]
egress: [{ports: [{port: http}]}]
""", name="a"))
    assert w.allowed(WEB, API, 8080)  # API names 8080 "http"
    assert not w.allowed(WEB, API, 8081)
    assert not w.allowed(WEB, API, 8080, "UDP")
    assert not w.allowed(API, WEB, 8080)  # WEB has no named port "http"
    assert not w.allowed(API, NET, 8080)  # a name never matches an address


# ---- strictness ------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", [
    "podSelector: {}\ningress: [{from: [{}]}]",  # empty peer
    "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]",
    "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/8]}}]}]",
    "podSelector: {}\ningress: [{from: [{ipBlock: {cidr: not-a-cidr}}]}]",
    "podSelector: {}\ningress: [{ports: [{port: 80, protocol: ICMP}]}]",
    "podSelector: {}\ningress: [{ports: [{port: http, endPort: 90}]}]",
    "podSelector: {}\ningress: [{ports: [{port: 90, endPort: 80}]}]",
    "podSelector: {}\ningress: [{ports: [{port: '8080'}]}]",  # a string of digits is no name
    "podSelector: {}\ningress: [{ports: [{port: 70000}]}]",
    "podSelector: {}\ningress: [{to: []}]",  # 'to' in an ingress rule
    "podSelector: {}\npolicyTypes: [Inbound]",
    "podSelector: {matchExpressions: [{key: a, operator: Equals, values: [b]}]}",
    "podSelector: {matchExpressions: [{key: a, operator: In}]}",
    "podSelector: {matchExpressions: [{key: a, operator: Exists, values: [b]}]}",
    "policyTypes: [Ingress]",  # no podSelector
])
def test_malformed_policies_are_errors(spec):
    with pytest.raises(PolicyError):
        world(np("pay", spec))


def test_policy_without_namespace_is_an_error():
    with pytest.raises(PolicyError):
        World().add_policies_yaml(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
            "metadata: {name: x}\nspec: {podSelector: {}}\n")


# ---- loading ---------------------------------------------------------------------------------


def test_load_policies_from_a_folder(tmp_path):
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n")
    (tmp_path / "a.yaml").write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: pay}\n---\n" + DENY_ALL_PAY
        + "---\n# empty document follows\n---\n")
    (tmp_path / "b.yml").write_text(
        "apiVersion: v1\nkind: List\nitems:\n- " + np("pay", "podSelector: {}\ningress: [{}]",
                                                     name="allow-in").replace("\n", "\n  "))
    (tmp_path / "c.yaml").write_text(  # another API group's NetworkPolicy kind: not ours
        "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\n"
        "metadata: {name: calico, namespace: pay}\nspec: {selector: all()}\n")
    (tmp_path / "notes.txt").write_text("not yaml: [")
    w = World()
    assert w.load_policies(tmp_path) == 2
    assert sorted(p.name for p in w.policies) == ["allow-in", "deny"]
    assert w.allowed(WEB, API, 8080)  # allow-in admits ingress
    assert not w.allowed(API, WEB, 8080)  # deny isolates egress


def test_explain_names_the_policies():
    w = world(DENY_ALL_PAY)
    ok, why = w.explain(WEB, API, 8080)
    assert not ok
    assert "pay/deny" in why and "DENIED" in why


def test_one_side_queries():
    w = world(DENY_ALL_PAY, np("pay", """
podSelector: {matchLabels: {app.kubernetes.io/name: api}}
ingress: [{from: [{podSelector: {matchLabels: {app.kubernetes.io/name: web}}}]}]
""", name="a"))
    # pay/web's own egress is closed by the default deny, but api's ingress admits it
    assert not w.allowed(WEB_IN_PAY, API, 8080)
    assert w.ingress_allowed(WEB_IN_PAY, API, 8080)
    assert not w.egress_allowed(WEB_IN_PAY, API, 8080)
    assert w.egress_allowed(WEB, API, 8080) and not w.ingress_allowed(WEB, API, 8080)


# ---- flows across namespaces: both ends judge ------------------------------------------

DENY_ALL_SHOP = np("shop", """
podSelector: {}
policyTypes: [Ingress, Egress]
""", name="deny")
API_ADMITS_WEB = np("pay", """
podSelector: {matchLabels: {app.kubernetes.io/name: api}}
policyTypes: [Ingress]
ingress:
  - from:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}
        podSelector: {matchLabels: {app.kubernetes.io/name: web}}
    ports: [{protocol: TCP, port: 8080}]
""", name="api")
WEB_REACHES_API = np("shop", """
podSelector: {matchLabels: {app.kubernetes.io/name: web}}
policyTypes: [Egress]
egress:
  - to:
      - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: pay}}
        podSelector: {matchLabels: {app.kubernetes.io/name: api}}
    ports: [{protocol: TCP, port: 8080}]
""", name="web")


def test_a_flow_across_namespaces_is_blocked_where_the_source_namespace_denies_egress():
    verdict = world(DENY_ALL_SHOP, DENY_ALL_PAY, API_ADMITS_WEB).flow(WEB, API, 8080)
    assert not verdict.allowed and verdict.blocked_at == "source"
    assert verdict.ingress.allowed and "pay/api ingress[0]" in verdict.ingress.reason
    assert "shop/deny" in verdict.egress.reason


def test_a_flow_across_namespaces_is_blocked_where_the_destination_denies_ingress():
    verdict = world(DENY_ALL_SHOP, DENY_ALL_PAY, WEB_REACHES_API).flow(WEB, API, 8080)
    assert not verdict.allowed and verdict.blocked_at == "destination"
    assert verdict.egress.allowed and "shop/web egress[0]" in verdict.egress.reason


def test_a_flow_across_namespaces_passes_when_both_ends_admit_it_and_nothing_else_does():
    w = world(DENY_ALL_SHOP, DENY_ALL_PAY, API_ADMITS_WEB, WEB_REACHES_API)
    verdict = w.flow(WEB, API, 8080)
    assert verdict.allowed and verdict.blocked_at == ""
    assert verdict.egress.allowed and verdict.ingress.allowed
    # the neighbours of the declared flow stay closed at one end or both
    assert w.flow(WEB, API, 8081).blocked_at == "both"  # wrong port
    assert w.flow(WEB, API, 8080, "UDP").blocked_at == "both"  # wrong protocol
    assert w.flow(OTHER_IN_SHOP, API, 8080).blocked_at == "both"  # wrong labels
    assert w.flow(WEB_IN_PAY, API, 8080).blocked_at == "both"  # wrong namespace (denied in pay too)
    assert w.flow(API, WEB, 8080).blocked_at == "both"  # the other way round
    assert w.flow(WEB, DB, 8080).blocked_at == "source"  # a namespace without policies


def test_a_flow_into_a_namespace_without_policies_needs_only_the_source():
    w = world(DENY_ALL_SHOP, np("shop", """
podSelector: {matchLabels: {app.kubernetes.io/name: web}}
policyTypes: [Egress]
egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: db}}}]
    ports: [{port: 5432}]
""", name="web-db"))
    verdict = w.flow(WEB, DB, 5432)
    assert verdict.allowed and verdict.ingress.reason == "not isolated (no policy selects it)"
    assert not w.flow(WEB, DB, 5433).allowed


def test_address_range_callers_cross_into_a_namespace_by_family():
    w = world(DENY_ALL_PAY, np("pay", """
podSelector: {matchLabels: {app.kubernetes.io/name: api}}
policyTypes: [Ingress]
ingress:
  - from: [{ipBlock: {cidr: "2001:db8:40::/48"}}, {ipBlock: {cidr: 198.51.100.0/24}}]
    ports: [{port: 8080}]
""", name="api-ranges"))
    assert w.flow(External("2001:db8:40::1"), API, 8080).allowed
    assert w.flow(External("198.51.100.255"), API, 8080).allowed
    assert not w.flow(External("2001:db8:41::1"), API, 8080).allowed  # just outside
    assert not w.flow(External("::ffff:198.51.100.1"), API, 8080).allowed  # the other family
    assert w.flow(External("198.51.100.1"), API, 8080).egress.reason == "external endpoint, not enforced"
    # a range admits addresses, never pods: the default reading of this evaluator
    assert not w.flow(Pod("shop", {APP: "web"}, ip="198.51.100.7"), API, 8080).allowed


def test_a_folder_of_bundles_loads_without_the_folders_it_is_told_to_leave_out(tmp_path):
    (tmp_path / "shop").mkdir()
    (tmp_path / "_peers" / "pay").mkdir(parents=True)
    (tmp_path / "shop" / "deny.yaml").write_text(DENY_ALL_SHOP)
    (tmp_path / "_peers" / "pay" / "api.yaml").write_text(API_ADMITS_WEB)
    everything, system = World(), World()
    assert everything.load_policies(tmp_path) == 2
    assert system.load_policies(tmp_path, exclude=["_peers"]) == 1
    assert [str(p) for p in system.policies] == ["shop/deny"]
