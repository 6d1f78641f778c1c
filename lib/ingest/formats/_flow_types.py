"""How a work item's issue type and labels make its flow type (feature, defect, risk or
debt; Flow Framework), for the Jira and Linear formats.

The default rules
(DEFAULT_TYPE_RULES) take the user's additions and overrides (`ImportOptions.type_rules`),
matched loosely (`Tech debt`, `tech-debt`, `TECH_DEBT` agree); a rule's `ignore` leaves
the item out of the import. The rules, their defaults and their order are documented in
docs/FORMATS_DELIVERY.md ("Flow type").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from lib.ingest.formats._tool_exports import _key
from lib.tables import WORK_TYPES

IGNORE = "ignore"  # a type rule value that leaves the item out of the import


DEFAULT_TYPE_RULES: dict[str, str] = {
    **dict.fromkeys(
        ["story", "feature", "newfeature", "improvement", "enhancement", "epic", "userstory"], "feature"
    ),
    **dict.fromkeys(["bug", "defect", "incident", "problem", "regression", "hotfix"], "defect"),
    **dict.fromkeys(
        ["security", "vulnerability", "compliance", "risk", "audit", "privacy", "cve"],
        "risk",
    ),
    **dict.fromkeys(
        ["techdebt", "technicaldebt", "debt", "refactor", "refactoring", "chore", "maintenance", "upgrade"],
        "debt",
    ),
}
# When labels name several flow types, the first of these wins: a security bug is a risk.
_LABEL_PRECEDENCE = ("risk", "defect", "debt", "feature")
FALLBACK_TYPE = "feature"


def type_rules(extra: dict[str, str] | None) -> dict[str, str]:
    """The default rules with the user's additions and overrides (keys compared loosely)."""
    rules = dict(DEFAULT_TYPE_RULES)
    for name, flow_type in (extra or {}).items():
        value = flow_type.strip().lower()
        if value not in (*WORK_TYPES, IGNORE):
            raise ValueError(
                f"type rule {name!r} → {flow_type!r}: use one of {', '.join(WORK_TYPES)} or ignore"
            )
        rules[_key(name)] = value
    return rules


def split_labels(cells: Iterable[str]) -> list[str]:
    """Labels from cells holding one label each (Jira) or a comma-separated list (Linear)."""
    out = []
    for cell in cells:
        out.extend(p.strip() for p in re.split(r"[,;]", cell) if p.strip())
    return out


def flow_type(
    issue_type: str, labels: Sequence[str], rules: dict[str, str], user_keys: frozenset[str] = frozenset()
) -> str:
    """Flow type of an item from its issue type and labels.

    Order: a user rule on the issue type or any label; then a default rule on a label
    (labels are more specific than the type: a Story labelled tech-debt is debt); then a
    default rule on the issue type; else feature. A label group such as `Type/Bug` is
    also tried by its last part.
    """

    def keys(text: str) -> list[str]:
        parts = [text, *text.split("/")[1:]] if "/" in text else [text]
        return [_key(p) for p in parts if _key(p)]

    label_keys = [k for label in labels for k in keys(label)]
    type_keys = keys(issue_type) if issue_type else []
    for k in type_keys + label_keys:
        if k in user_keys:
            return rules[k]
    found = {rules[k] for k in label_keys if k in rules}
    for candidate in (IGNORE, *_LABEL_PRECEDENCE):
        if candidate in found:
            return candidate
    for k in type_keys:
        if k in rules:
            return rules[k]
    return FALLBACK_TYPE


def user_rule_keys(extra: dict[str, str] | None) -> frozenset[str]:
    return frozenset(_key(k) for k in (extra or {}))
