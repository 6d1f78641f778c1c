"""Which pull request reviews are a person's: the rule behind `first_review_at` (SPEC §5).

A review counts when it is by someone other than the PR's author and not by an automated
account. Automated: a login ending in `[bot]` or `-bot` (`github-actions[bot]`,
`renovate-bot`), `copilot-pull-request-reviewer`, a login starting with `app/` (how the
GitHub CLI writes a GitHub App as an author), and the logins of `review_bots(con)`: the
setting `review_bot_logins` (comma-separated) when set, else `DEFAULT_REVIEW_BOTS`, the AI
review and automation apps that review pull requests under a plain login. Logins compare
case-insensitively, with any `[bot]` suffix or `app/` prefix removed before the list is
consulted. `gh pr list --json reviews` does not mark any review as a bot's, hence the rule.

Every importer that reads reviews (GitHub today) uses `first_human_review`. The rule is applied
at import: after changing the list, re-import the PR files (the originals are kept).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import duckdb

from lib import db

REVIEW_BOTS_SETTING = "review_bot_logins"
ALWAYS_BOTS = frozenset({"copilot-pull-request-reviewer"})
DEFAULT_REVIEW_BOTS = (
    "coderabbitai",
    "copilot-pull-request-reviewer",
    "copilot-swe-agent",
    "github-actions",
    "dependabot",
    "renovate",
    "gemini-code-assist",
    "sourcery-ai",
    "cursor",
    "chatgpt-codex-connector",
    "greptile-apps",
    "ellipsis-dev",
    "korbit-ai",
    "qodo-merge-pro",
    "codeant-ai",
    "graphite-app",
    "sonarqubecloud",
    "sonarcloud",
    "codecov",
    "deepsource-io",
    "mergify",
)
_BOT_SUFFIX = re.compile(r"(\[bot\]|-bot)$")


def review_bots(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The configured bot logins (the setting, else the default list), lower case."""
    try:
        value = db.get_setting(con, REVIEW_BOTS_SETTING)
    except duckdb.CatalogException:  # a bare connection (a format read on its own) has no settings
        value = None
    logins = value.split(",") if value is not None else DEFAULT_REVIEW_BOTS
    return frozenset(_plain(login) for login in logins if login.strip())


def _plain(login: str) -> str:
    login = login.strip().lower()
    login = login.removeprefix("app/")
    return login.removesuffix("[bot]")


def is_bot(login: str, bots: Iterable[str] = DEFAULT_REVIEW_BOTS) -> bool:
    """Whether a login is an automated account by the rule above."""
    raw = (login or "").strip().lower()
    if _BOT_SUFFIX.search(raw) or raw.startswith("app/"):
        return True
    plain = _plain(raw)
    return plain in ALWAYS_BOTS or plain in {_plain(b) for b in bots}


def is_human_review(reviewer: str, author: str, bots: Iterable[str] = DEFAULT_REVIEW_BOTS) -> bool:
    """A review by a person who is not the PR's author (an empty reviewer login is no review)."""
    reviewer = (reviewer or "").strip()
    if not reviewer or _plain(reviewer) == _plain(author or ""):
        return False
    return not is_bot(reviewer, bots)


def first_human_review(reviews: Iterable[tuple[str, object]], author: str, bots: Iterable[str]):
    """The earliest submitted time of `(reviewer login, submitted time)` pairs that are human
    reviews; None when there is none. Times must already be comparable (parsed, UTC)."""
    bots = frozenset(bots)
    times = [when for who, when in reviews if when is not None and is_human_review(who, author, bots)]
    return min(times) if times else None


def set_review_bots(con: duckdb.DuckDBPyConnection, logins: list[str] | str | None) -> None:
    """Replace the bot list (None or empty restores the default)."""
    if isinstance(logins, str):
        logins = logins.split(",")
    cleaned = [login.strip() for login in logins or () if login.strip()]
    db.set_setting(con, REVIEW_BOTS_SETTING, ", ".join(cleaned) if cleaned else None)
