"""Check the Kubernetes manifests offline: build, validate, cross-check.

Builds every kustomization under deploy/k8s (the base and each overlay) as `kubectl kustomize`
would, for the part of kustomize these manifests use, then checks each resulting resource:

- against Kubernetes' JSON schema, strictly (an unknown field is an error), with the schemas
  that kubernetes-validate ships, so no network and no cluster is needed;
- that every name it refers to exists: the ConfigMap and Secret of `envFrom`, the claim of a
  volume, the Deployment an autoscaler scales, the Service behind an Ingress, the pods a
  Service selects.

kustomize itself is a Go program; docs/adr/0013 says why this subset instead. A key of a
kustomization that the subset does not know is an error, never silently skipped. Two
differences: generated names get no hash suffix, and an env file that is not there (the
overlay's secrets.env, which git ignores) is read from its `.example` beside it.

    pre-commit run check-k8s --all-files     (pre-commit installs kubernetes-validate for it,
                                               and runs it whenever a file under deploy/k8s changes)
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from kubernetes_validate import utils as kubernetes_validate

Resource = dict[str, Any]

DEPLOY_DIR = Path(__file__).resolve().parent.parent / "deploy" / "k8s"
KUSTOMIZATION = "kustomization.yaml"
KNOWN_KEYS = {
    "apiVersion",
    "kind",
    "namespace",
    "resources",
    "images",
    "configMapGenerator",
    "secretGenerator",
    "patches",
}
# Kinds that live outside any namespace.
CLUSTER_KINDS = {"Namespace", "PersistentVolume", "StorageClass", "ClusterRole"}
# Lists whose items a strategic merge patch matches by a key instead of replacing the list
# (a container's ports by `containerPort`, a Service's by `port`).
MERGE_KEYS = {
    "containers": ("name",),
    "initContainers": ("name",),
    "volumes": ("name",),
    "volumeMounts": ("mountPath",),
    "env": ("name",),
    "ports": ("containerPort", "port"),
}


class ManifestError(Exception):
    """A kustomization that cannot be built as written."""


def load_documents(path: Path) -> list[Resource]:
    """The YAML documents of a file, empty ones left out."""
    return [document for document in yaml.safe_load_all(path.read_text()) if document]


def resource_id(resource: Resource) -> tuple[str, str]:
    return resource["kind"], resource["metadata"]["name"]


def build(directory: Path) -> list[Resource]:
    """The resources a kustomization makes, in order."""
    kustomization = yaml.safe_load((directory / KUSTOMIZATION).read_text())
    unknown = set(kustomization) - KNOWN_KEYS
    if unknown:
        raise ManifestError(f"{directory}: keys this check does not know: {sorted(unknown)}")
    resources: list[Resource] = []
    for entry in kustomization.get("resources", []):
        path = directory / entry
        resources += build(path) if path.is_dir() else load_documents(path)
    for kind, key in (("ConfigMap", "configMapGenerator"), ("Secret", "secretGenerator")):
        for generator in kustomization.get(key, []):
            generate(resources, kind, generator, directory)
    for patch in kustomization.get("patches", []):
        apply_patch(resources, load_documents(directory / patch["path"]), directory)
    for image in kustomization.get("images", []):
        set_image(resources, image)
    if namespace := kustomization.get("namespace"):
        for resource in resources:
            if resource["kind"] not in CLUSTER_KINDS:
                resource["metadata"]["namespace"] = namespace
    return resources


def generate(resources: list[Resource], kind: str, generator: Resource, directory: Path) -> None:
    """A ConfigMap or Secret from literals and env files, made, merged or replaced."""
    data: dict[str, str] = {}
    for literal in generator.get("literals", []):
        name, _, value = literal.partition("=")
        data[name] = value
    for env_file in generator.get("envs", []):
        data.update(read_env_file(directory / env_file))
    behavior = generator.get("behavior", "create")
    existing = [r for r in resources if resource_id(r) == (kind, generator["name"])]
    if behavior == "create":
        if existing:
            raise ManifestError(f"{directory}: {kind} {generator['name']} is made twice")
        field = "stringData" if kind == "Secret" else "data"
        metadata = {"name": generator["name"]}
        resources.append({"apiVersion": "v1", "kind": kind, "metadata": metadata, field: data})
        return
    if not existing:
        raise ManifestError(f"{directory}: no {kind} {generator['name']} to {behavior}")
    field = "stringData" if kind == "Secret" else "data"
    if behavior == "replace":
        existing[0][field] = data
    else:
        existing[0][field].update(data)


def read_env_file(path: Path) -> dict[str, str]:
    if not path.exists():
        example = path.with_name(path.name + ".example")
        if not example.exists():
            raise ManifestError(f"{path} is missing, and so is {example.name}")
        path = example
    pairs = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value
    return pairs


def apply_patch(resources: list[Resource], patches: list[Resource], directory: Path) -> None:
    """A strategic merge patch: applied to the resource of the same kind and name."""
    for patch in patches:
        targets = [r for r in resources if resource_id(r) == resource_id(patch)]
        if not targets:
            kind, name = resource_id(patch)
            raise ManifestError(f"{directory}: the patch of {kind} {name} matches no resource")
        merge(targets[0], patch)


def merge(target: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        elif isinstance(value, list) and key in MERGE_KEYS and isinstance(target.get(key), list):
            merge_list(target[key], value, MERGE_KEYS[key])
        else:
            target[key] = copy.deepcopy(value)


def merge_list(target: list[Any], patch: list[Any], merge_keys: tuple[str, ...]) -> None:
    for item in patch:
        keys = [key for key in merge_keys if key in item]
        if not keys:
            raise ManifestError(f"a patch's list item names none of {merge_keys}: {item}")
        matches = [t for t in target if t.get(keys[0]) == item[keys[0]]]
        if matches:
            merge(matches[0], item)
        else:
            target.append(copy.deepcopy(item))


def pod_specs(resource: Resource) -> Iterator[Resource]:
    if resource["kind"] in {"Deployment", "StatefulSet", "DaemonSet", "Job"}:
        yield resource["spec"]["template"]["spec"]


def set_image(resources: list[Resource], image: Resource) -> None:
    for resource in resources:
        for spec in pod_specs(resource):
            for container in spec.get("containers", []) + spec.get("initContainers", []):
                name, _, tag = container["image"].partition(":")
                if name == image["name"]:
                    new_name = image.get("newName", name)
                    new_tag = image.get("newTag", tag)
                    container["image"] = f"{new_name}:{new_tag}" if new_tag else new_name


def schema_errors(resource: Resource) -> list[str]:
    """Where the resource breaks Kubernetes' schema (strict: no unknown fields)."""
    kind, name = resource_id(resource)
    try:
        kubernetes_validate.validate(resource, kubernetes_validate.latest_version(), strict=True)
    except kubernetes_validate.ValidationError as error:
        where = ".".join(str(part) for part in error.path)
        return [f"{kind} {name}: {where}: {error.message}"]
    except kubernetes_validate.SchemaNotFoundError as error:
        return [f"{kind} {name}: {error.message}"]
    return []


def reference_errors(resources: list[Resource]) -> list[str]:
    """Names that resources refer to but that no resource of the build has."""
    present = {resource_id(r) for r in resources}
    errors = []

    def need(kind: str, name: str, by: Resource) -> None:
        if (kind, name) not in present:
            errors.append(f"{by['kind']} {by['metadata']['name']} needs {kind} {name}")

    for resource in resources:
        for spec in pod_specs(resource):
            for container in spec.get("containers", []):
                for source in container.get("envFrom", []):
                    if "configMapRef" in source:
                        need("ConfigMap", source["configMapRef"]["name"], resource)
                    if "secretRef" in source:
                        need("Secret", source["secretRef"]["name"], resource)
            for volume in spec.get("volumes", []):
                if "persistentVolumeClaim" in volume:
                    claim = volume["persistentVolumeClaim"]["claimName"]
                    need("PersistentVolumeClaim", claim, resource)
        if resource["kind"] == "HorizontalPodAutoscaler":
            target = resource["spec"]["scaleTargetRef"]
            need(target["kind"], target["name"], resource)
        if resource["kind"] == "Ingress":
            for rule in resource["spec"].get("rules", []):
                for path in rule["http"]["paths"]:
                    need("Service", path["backend"]["service"]["name"], resource)
        if resource["kind"] == "Service" and not selects_pods(resource, resources):
            errors.append(f"Service {resource['metadata']['name']} selects no pods")
    return errors


def selects_pods(service: Resource, resources: list[Resource]) -> bool:
    selector = service["spec"].get("selector", {}).items()
    return any(
        selector <= r["spec"]["template"]["metadata"].get("labels", {}).items()
        for r in resources
        if r["kind"] == "Deployment"
    )


def kustomizations(root: Path) -> list[Path]:
    return sorted(path.parent for path in root.rglob(KUSTOMIZATION))


def check(root: Path) -> list[str]:
    """Every problem of every kustomization under `root`, as lines to print."""
    problems = []
    for directory in kustomizations(root):
        where = directory.relative_to(root.parent.parent)
        try:
            resources = build(directory)
        except (ManifestError, OSError, KeyError, yaml.YAMLError) as error:
            problems.append(f"{where}: cannot build: {error}")
            continue
        for resource in resources:
            problems += [f"{where}: {line}" for line in schema_errors(resource)]
        problems += [f"{where}: {line}" for line in reference_errors(resources)]
    return problems


def main() -> int:
    if not kustomizations(DEPLOY_DIR):
        print(f"no {KUSTOMIZATION} under {DEPLOY_DIR}")
        return 1
    problems = check(DEPLOY_DIR)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
