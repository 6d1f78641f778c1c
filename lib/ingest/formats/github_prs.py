"""GitHub pull requests from the GitHub CLI or the REST API's pull request list → pull_requests.

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

The GitHub REST API's pull request list is read too. `GET /repos/{owner}/{repo}/pulls?state=all`
answers a JSON array of "pull request simple" objects: `number`, `html_url`, `url` (the
API's), `state`, `created_at`, `updated_at`, `closed_at`, `merged_at` (null unless merged),
`user {login, type}`, `base {ref, repo {full_name, …}}`, `head {…}`, `labels [{name, …}]`,
`draft`, `requested_reviewers`, …, and no `additions` / `deletions`, no reviews. The layout
is that of GitHub's REST reference ("List pull requests", response schema
`pull-request-simple` of github/rest-api-description; checked against client SDK models
of that schema and a reviewer's real-shaped file). `gh api --paginate
"repos/OWNER/REPO/pulls?state=all" --jq '.[]' > pulls.json` writes it one object per line;
an array, or an object wrapping the array, is read the same (`lib.ingest.json_records`).
Recognised by `number`, `created_at`, `user`, and `merged_at` or `base`. Mapping:
- repo ← base.repo.full_name, else the `owner/name` in `html_url`, else in the API `url`;
- pr_id ← repo#number; author_id ← user.login (pseudonymised by the loader; a bot such as
  `dependabot[bot]` is an author like any other, as gh's `app/dependabot` is);
- opened_at ← created_at; merged_at ← merged_at (a closed, unmerged PR has none);
- additions, deletions ← the same keys when present (`GET …/pulls/{number}` has them), else null;
- first_review_at ← null: the list has no reviews, and the import warns (`github_no_reviews`)
  that first review times and sizes need the gh command above (`GH_REVIEWS_COMMAND`);
- ai_assisted ← labels, as above.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

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
from lib.ingest.json_records import json_objects
from lib.ingest.report import ImportWarning, warn
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
_API_URL = re.compile(r"https?://[^/]+/(?:api/v3/)?repos/([^/]+/[^/]+)/pulls/\d+")
GH_REVIEWS_COMMAND = (
    "gh pr list --state all --limit 1000 --json number,title,url,author,createdAt,mergedAt,"
    "additions,deletions,headRepository,headRepositoryOwner,labels,reviews"
)


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


_GH_MUST = ("number", "createdAt", "mergedAt", "author")
_REST_MUST = ("number", "created_at", "user", "merged_at")
_REST_TELLING = ("merged_at", "html_url", "base", "head", "labels", "title", "state", "closed_at", "draft")


def _is_rest(source: SourceFile) -> bool:
    """The REST API's layout (`created_at`, `user`) rather than gh's (`createdAt`, `author`)."""
    have = set(source.normalized_headers)
    return "created_at" in have and "createdat" not in have


def _rest_repo(r: dict) -> str:
    """`owner/name` of the base repository: base.repo.full_name, else html_url, else the API url."""
    base = _nested(r.get("base"))
    repo = base.get("repo") if isinstance(base, dict) else None
    full_name = _text(repo.get("full_name")) if isinstance(repo, dict) else ""
    if full_name:
        return full_name
    for pattern, key in ((_PR_URL, "html_url"), (_API_URL, "url")):
        if found := pattern.match(_text(r.get(key))):
            return found.group(1)
    return _text(r.get("repo") or r.get("repository"))


def _no_reviews(rows: list[dict]) -> ImportWarning:
    """The REST list's gap, in the user's words, naming the gh command that fills it."""
    sized = any(p["additions"] or p["deletions"] for p in rows)
    lacks = "no reviews" if sized else "no reviews and no additions or deletions"
    gives = "time to first review" if sized else "time to first review and PR sizes"
    return warn(
        "github_no_reviews",
        f"First review times left empty: the GitHub REST API's pull request list has {lacks}. "
        f"Export with `{GH_REVIEWS_COMMAND} > prs.json` for {gives}",
        [p["_row"] for p in rows],
    )


@dataclass(frozen=True)
class GitHubPullRequests:
    """`gh pr list --json …` output (JSON or CSV) and the REST API's pull request list (JSON)."""

    name: str = "github_prs"

    def missing(self, source: SourceFile) -> tuple[str, ...]:
        """The required keys the file lacks, in the layout it is closer to."""
        return min(missing_headers(source, _GH_MUST), missing_headers(source, _REST_MUST), key=len)

    def score(self, source: SourceFile) -> float:
        """0.6-1.0 for gh's layout or the REST API's, 0 otherwise (a REST list of issues, which has
        no merged_at or base, is not pull requests)."""
        have = set(source.normalized_headers)
        gh = header_score(
            source,
            must=("number", "createdAt"),
            telling=("mergedAt", "author", "headRepository", "reviews", "additions", "url", "title"),
        ) * (1.0 if {"mergedat", "author", "author_login"} & have else 0.0)
        rest = header_score(
            source,
            must=("number", "created_at", "user"),
            telling=_REST_TELLING,
        ) * (1.0 if {"merged_at", "base"} & have else 0.0)
        return max(gh, rest)

    def _records(self, source: SourceFile) -> list[tuple[int, dict]]:
        if source.kind == "json":  # unwrapped as detection read it (lib.ingest.json_records)
            return [(i, _flat(r)) for i, r in enumerate(json_objects(source.path), start=1)]
        headers, records = read_records(source)
        keys = [normalize_header(h) for h in headers]
        return [(n, dict(zip(keys, rec, strict=False))) for n, rec in enumerate(records, start=2)]

    def read(
        self, con: duckdb.DuckDBPyConnection, source: SourceFile, options: ImportOptions
    ) -> list[Staged]:
        """One staged `pull_requests` relation of text cells (times as UTC ISO text), with the
        `github_no_reviews` warning for the REST layout."""
        tz = zone(options.default_tz)
        records = self._records(source)
        if _is_rest(source):
            parsed = [self._rest_row(n, r, tz) for n, r in records]
            warnings = [_no_reviews(parsed)] if parsed else []
        else:
            bots = review_bots(con)
            parsed = [self._gh_row(n, r, tz, bots) for n, r in records]
            warnings = []
        file_marks_ai = any(p["_ai"] for p in parsed)
        for p in parsed:
            marked = p.pop("_ai")
            p["ai_assisted"] = ("true" if marked else "false") if file_marks_ai else ""
        return [stage(con, "pull_requests", parsed, warnings)]

    @staticmethod
    def _rest_row(n: int, r: dict, tz: ZoneInfo) -> dict:
        repo = _rest_repo(r)
        number = _text(r.get("number")).lstrip("#")
        return {
            "_row": n,
            "pr_id": f"{repo}#{number}" if repo else number,
            "repo": repo,
            "team": _text(r.get("team")),
            "author_id": _login(r.get("user")),
            "opened_at": to_utc(_text(r.get("created_at")), tz),
            "first_review_at": "",
            "merged_at": to_utc(_text(r.get("merged_at")), tz),
            "additions": _text(r.get("additions")),
            "deletions": _text(r.get("deletions")),
            "_ai": any(_key(label) in AI_LABELS for label in _labels(r.get("labels"))),
        }

    @staticmethod
    def _gh_row(n: int, r: dict, tz: ZoneInfo, bots: frozenset[str]) -> dict:
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
        return {
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


FORMATS = [GitHubPullRequests()]
