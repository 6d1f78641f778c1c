"""GitHub pull requests from the GitHub CLI → pull_requests.

`gh pr list --state all --limit 1000 --json
number,title,url,author,createdAt,mergedAt,additions,deletions,headRepository,
headRepositoryOwner,labels,reviews > prs.json` writes a JSON array of objects with
those keys (`author` is `{"login": …}`, `labels` a list of `{"name": …}`, `reviews` a
list of `{"author": {"login": …}, "state": …, "submittedAt": …}`). The same fields
written as CSV are accepted too: nested values as JSON text, or flattened as
`author.login`, a comma-separated `labels`, or a ready `firstReviewAt` column.

Mapping (defaults documented in docs/FORMATS_DELIVERY.md):
- repo ← the `owner/name` in `url` (the base repository), else
  headRepositoryOwner/headRepository, else a `repo` / `repository` column;
- pr_id ← repo#number; author_id ← author login (pseudonymised by the loader);
- opened_at ← createdAt; merged_at ← mergedAt; additions, deletions;
- first_review_at ← the earliest submittedAt of a human review: reviews by the PR's author or
  by automated accounts (logins ending `[bot]` or `-bot`, `copilot-pull-request-reviewer`, AI
  reviewers such as `coderabbitai`; the configurable list of `lib.ingest.reviews`) are not
  reviews; a file without `reviews` may give a ready `firstReviewAt` column instead;
- team ← a `team` column when the file has one (gh has none; queries then use the
  deploying team of the repository's service, view `pull_requests_with_team`);
- ai_assisted ← true for a PR carrying an AI label (ai-assisted, copilot, ai-generated,
  …); when any PR in the file carries one, the unlabelled ones are false; when none
  does, the file says nothing about AI and the column stays null.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import duckdb

from lib.ingest.formats import ImportOptions, SourceFile, Staged, normalize_header
from lib.ingest.formats._tool_exports import (
    _key,
    header_score,
    missing_headers,
    parse_instant,
    read_records,
    stage,
    to_utc,
    utc_text,
    zone,
)
from lib.ingest.reviews import first_human_review, review_bots

AI_LABELS = frozenset(
    _key(k)
    for k in (
        "ai-assisted",
        "ai assisted",
        "ai-generated",
        "ai generated",
        "ai",
        "copilot",
        "github-copilot",
        "cursor",
        "claude",
        "codex",
        "genai",
        "llm",
    )
)
_PR_URL = re.compile(r"https?://[^/]+/([^/]+/[^/]+)/pull/\d+")


def _flat(record: dict) -> dict[str, object]:
    """Keys normalised (`createdAt` → `createdat`, `author.login` → `author_login`)."""
    return {normalize_header(k): v for k, v in record.items()}


def _nested(value: object) -> object:
    """A JSON value written into a CSV cell, decoded; other text unchanged."""
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _login(value: object) -> str:
    value = _nested(value)
    if isinstance(value, dict):
        return str(value.get("login") or value.get("name") or "")
    return str(value or "").strip()


def _labels(value: object) -> list[str]:
    value = _nested(value)
    if isinstance(value, list):
        return [str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value]
    return [p.strip() for p in str(value or "").split(",") if p.strip()]


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class GitHubPullRequests:
    name: str = "github_prs"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        return missing_headers(source, ("number", "createdAt", "mergedAt", "author"))

    def score(self, source: SourceFile) -> float:
        return header_score(
            source,
            must=("number", "createdAt"),
            telling=("mergedAt", "author", "headRepository", "reviews", "additions", "url", "title"),
        ) * (1.0 if {"mergedat", "author", "author_login"} & set(source.normalized_headers) else 0.0)

    def _records(self, source: SourceFile) -> list[tuple[int, dict]]:
        if source.kind == "json":
            text = source.path.read_text(encoding="utf-8-sig")
            try:
                data = json.loads(text)
            except ValueError:  # one object per line, as `gh … --jq '.[]'` writes
                data = [json.loads(line) for line in text.splitlines() if line.strip()]
            if isinstance(data, dict):
                data = next((v for v in data.values() if isinstance(v, list)), [data])
            return [(i, _flat(r)) for i, r in enumerate(data, start=1) if isinstance(r, dict)]
        headers, records = read_records(source)
        keys = [normalize_header(h) for h in headers]
        return [(n, dict(zip(keys, rec, strict=False))) for n, rec in enumerate(records, start=2)]

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        tz = zone(options.default_tz)
        bots = review_bots(con)
        parsed = []
        for n, r in self._records(source):
            number = _text(r.get("number")).lstrip("#")
            url_match = _PR_URL.match(_text(r.get("url")))
            owner = _login(r.get("headrepositoryowner") or r.get("headrepositoryowner_login"))
            head = _nested(r.get("headrepository") or r.get("headrepository_name"))
            head_name = _text(head.get("name") if isinstance(head, dict) else head)
            repo = (
                url_match.group(1)
                if url_match
                else _text(r.get("repo") or r.get("repository") or r.get("base_repository"))
                or (f"{owner}/{head_name}" if owner and head_name else head_name)
            )
            author = _login(r.get("author") or r.get("author_login"))
            reviews = _nested(r.get("reviews"))
            submitted = [
                (
                    _login(rv.get("author")),
                    parse_instant(_text(rv.get("submittedAt") or rv.get("submittedat")), tz),
                )
                for rv in (reviews if isinstance(reviews, list) else [])
                if isinstance(rv, dict)
            ]
            first = first_human_review(submitted, author, bots)
            if first is not None:
                first_review = utc_text(first)
            elif isinstance(reviews, list):
                first_review = ""  # reviews listed, none by a person
            else:
                first_review = to_utc(_text(r.get("firstreviewat")), tz)
            parsed.append(
                {
                    "_row": n,
                    "pr_id": f"{repo}#{number}" if repo else number,
                    "repo": repo,
                    "team": _text(r.get("team")),
                    "author_id": author,
                    "opened_at": to_utc(_text(r.get("createdat")), tz),
                    "first_review_at": first_review,
                    "merged_at": to_utc(_text(r.get("mergedat")), tz),
                    "additions": _text(r.get("additions")),
                    "deletions": _text(r.get("deletions")),
                    "_ai": any(_key(label) in AI_LABELS for label in _labels(r.get("labels"))),
                }
            )
        file_marks_ai = any(p["_ai"] for p in parsed)
        for p in parsed:
            marked = p.pop("_ai")
            p["ai_assisted"] = ("true" if marked else "false") if file_marks_ai else ""
        return [stage(con, "pull_requests", parsed)]


FORMATS = [GitHubPullRequests()]
