"""Human reviews (SPEC §5): reviews by the PR's author or by automated accounts are not reviews.

`github_prs_ai_reviewers.json` is `gh pr list --json …,reviews` output where AI reviewers and
automation comment minutes after a PR opens (tests/fixtures/exports/README.md). Counting them
gives a 3-minute pickup; the people took 10.5 h and 2 h.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lib import db, metrics
from lib.ingest import reviews
from tests.unit.fixtures import scope

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
JULY = scope("2025-07-01", "2025-08-01")


def imported(tmp_path, bots: str | None = None):
    from lib.ingest.load import import_file, options_for

    con = db.connect(tmp_path / "prs.duckdb")
    if bots is not None:
        reviews.set_review_bots(con, bots)
    result = import_file(con, EXPORTS / "github_prs_ai_reviewers.json", options_for(con))
    assert result.ok, result.summary()
    return con


def first_reviews(con) -> dict:
    rows = con.execute("select pr_id, strftime(first_review_at, '%m-%d %H:%M') from pull_requests").fetchall()
    return dict(rows)


@pytest.mark.parametrize(
    ("login", "bot"),
    [
        ("github-actions[bot]", True),
        ("renovate-bot", True),
        ("Dependabot[bot]", True),
        ("copilot-pull-request-reviewer", True),
        ("coderabbitai", True),  # the default list
        ("CodeRabbitAI", True),
        ("app/sourcery-ai", True),  # gh writes an app author as app/<slug>
        ("gemini-code-assist", True),
        ("grace-sample", False),
        ("robotics-lead", False),  # "bot" inside a name is a person
        ("bot-builder", False),
        ("acme-ci", False),  # not in the default list
    ],
)
def test_who_is_a_bot(login, bot):
    assert reviews.is_bot(login) is bot


def test_a_review_by_the_author_or_a_bot_is_no_review():
    assert reviews.is_human_review("grace-sample", "ada-example")
    assert not reviews.is_human_review("Ada-Example", "ada-example")
    assert not reviews.is_human_review("coderabbitai", "ada-example")
    assert not reviews.is_human_review("", "ada-example")
    stamps = [("coderabbitai", 1), ("ada-example", 2), ("grace-sample", 5), ("linus-sample", 4)]
    assert reviews.first_human_review(stamps, "ada-example", reviews.DEFAULT_REVIEW_BOTS) == 4
    # coderabbitai is a bot by the configurable list only: an empty list makes it a reviewer
    assert reviews.first_human_review(stamps, "ada-example", ()) == 1
    assert reviews.first_human_review([("renovate-bot", 1)], "ada-example", ()) is None


def test_first_review_is_the_first_human_review(tmp_path):
    con = imported(tmp_path)
    assert first_reviews(con) == {
        # coderabbitai 09:03, copilot 09:05, github-actions[bot], renovate-bot, the author 09:02: not reviews
        "acme/checkout-api#501": "07-01 19:30",
        # gemini-code-assist, sourcery-ai, the author under another case; acme-ci is a person by default
        "acme/ledger#502": "07-02 09:00",
        # only bots reviewed
        "acme/ledger#503": None,
    }


def test_the_bot_list_is_configurable(tmp_path):
    con = imported(tmp_path, bots=", ".join([*reviews.DEFAULT_REVIEW_BOTS, "acme-ci"]))
    assert first_reviews(con)["acme/ledger#502"] == "07-02 10:00"
    assert "acme-ci" in reviews.review_bots(con)
    reviews.set_review_bots(con, None)
    assert reviews.review_bots(con) == frozenset(reviews.DEFAULT_REVIEW_BOTS)


def test_pickup_and_review_keys_from_human_reviews(tmp_path):
    con = imported(tmp_path, bots=", ".join([*reviews.DEFAULT_REVIEW_BOTS, "acme-ci"]))
    delivery = metrics.catalog(con, JULY)["delivery"]
    # #501: opened 09:00, first human review 19:30 (10.5 h), merged 22:30 (3 h)
    # #502: opened 08:00, first human review 10:00 (2 h), merged 13:00 (3 h); #503: no human review
    assert delivery["pr_pickup_hours_p50"] == pytest.approx((10.5 + 2) / 2)
    assert delivery["pr_review_hours_p50"] == pytest.approx(3.0)
