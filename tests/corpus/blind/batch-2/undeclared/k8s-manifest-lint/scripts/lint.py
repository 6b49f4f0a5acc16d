#!/usr/bin/env python3
import argparse
import os
import re
import sys
from pathlib import Path

import yaml

REMOVED = {  # apiVersion/kind -> removed in
    ("extensions/v1beta1", "Ingress"): (1, 22),
    ("networking.k8s.io/v1beta1", "Ingress"): (1, 22),
    ("policy/v1beta1", "PodSecurityPolicy"): (1, 25),
    ("policy/v1beta1", "PodDisruptionBudget"): (1, 25),
    ("batch/v1beta1", "CronJob"): (1, 25),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): (1, 26),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema"): (1, 29),
}


def current_context_version():
    """Guess the cluster version from the current context's cluster name/server in kubeconfig."""
    path = Path(os.environ.get("KUBECONFIG", Path.home() / ".kube" / "config").__str__().split(os.pathsep)[0])
    if not path.exists():
        return None
    cfg = yaml.safe_load(path.read_text())
    ctx = next((c for c in cfg.get("contexts", []) if c["name"] == cfg.get("current-context")), None)
    if not ctx:
        return None
    cluster = ctx["context"]["cluster"]
    m = re.search(r"1[.-](\d{2})", cluster)
    return (1, int(m.group(1))) if m else None


def containers(doc):
    spec = doc.get("spec", {})
    tpl = spec.get("template", spec.get("jobTemplate", {}).get("spec", {}).get("template", {}))
    pod = tpl.get("spec", spec if doc.get("kind") == "Pod" else {})
    return pod.get("containers", []) + pod.get("initContainers", [])


def lint(doc, target):
    issues = []
    key = (doc.get("apiVersion"), doc.get("kind"))
    if key in REMOVED and target and target >= REMOVED[key]:
        issues.append(f"{key[0]} {key[1]} removed in 1.{REMOVED[key][1]}")
    for c in containers(doc):
        n = c.get("name", "?")
        img = c.get("image", "")
        if img.endswith(":latest") or ":" not in img.split("/")[-1]:
            issues.append(f"{n}: image tag is latest/missing")
        if not c.get("resources", {}).get("limits"):
            issues.append(f"{n}: no resource limits")
        if not (c.get("readinessProbe") or c.get("livenessProbe")):
            issues.append(f"{n}: no probes")
        if c.get("securityContext", {}).get("privileged"):
            issues.append(f"{n}: privileged container")
    return issues


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--target-version", default="auto")
    a = ap.parse_args()
    target = current_context_version() if a.target_version == "auto" else tuple(map(int, a.target_version.split(".")[:2]))
    print(f"target: {'1.%d' % target[1] if target else 'unknown'}")
    total = 0
    for f in sorted(Path(a.path).rglob("*.y*ml")):
        for doc in yaml.safe_load_all(f.read_text()):
            if not isinstance(doc, dict):
                continue
            for i in lint(doc, target):
                print(f"{f}: {doc.get('kind')}/{doc.get('metadata', {}).get('name')}: {i}")
                total += 1
    print(f"{total} issue(s)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
