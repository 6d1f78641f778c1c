"""Board-pack choices: per person, beside the database, surviving renamed charts and bad input."""

from __future__ import annotations

import pytest

from lib.boardpack import choices
from lib.charts import registry


def test_the_default_is_the_overviews_headline_set_until_a_choice_is_saved(tmp_path):
    db = tmp_path / "pillars.duckdb"
    assert choices.selection(db, "vp@example.com") == list(registry.DEFAULT_IDS)
    saved = choices.set_selection(db, "vp@example.com", ["engagement.drivers", "delivery.lead_time_trend"])
    assert saved == ["engagement.drivers", "delivery.lead_time_trend"]
    assert choices.selection(db, "vp@example.com") == saved
    assert choices.selection(db, "cto@example.com") == list(registry.DEFAULT_IDS)  # per person
    assert choices.choices_file(db) == tmp_path / "pillars.duckdb.boardpack.json"


def test_unknown_ids_are_dropped_and_duplicates_kept_once(tmp_path):
    db = tmp_path / "pillars.duckdb"
    kept = choices.set_selection(
        db, "me", ["delivery.lead_time_trend", "delivery.gone", "delivery.lead_time_trend"]
    )
    assert kept == ["delivery.lead_time_trend"]


def test_packs_are_named_saved_and_refused_when_unnamed_or_empty(tmp_path):
    db = tmp_path / "pillars.duckdb"
    assert choices.save_pack(db, "me", "  Q3   board ", ["overview.headlines"]) == "Q3 board"
    assert choices.packs(db, "me") == {"Q3 board": ["overview.headlines"]}
    assert choices.packs(db, "someone else") == {}
    with pytest.raises(ValueError, match="give the pack a name"):
        choices.save_pack(db, "me", "  ", ["overview.headlines"])
    with pytest.raises(ValueError, match="at least one chart"):
        choices.save_pack(db, "me", "Empty", ["delivery.gone"])
    with pytest.raises(ValueError, match="at most 60 characters"):
        choices.save_pack(db, "me", "x" * 61, ["overview.headlines"])
    choices.delete_pack(db, "me", "Q3 board")
    assert choices.packs(db, "me") == {}


def test_organisation_name_is_shared_and_blank_restores_the_default(tmp_path):
    db = tmp_path / "pillars.duckdb"
    assert choices.organisation(db) is None
    choices.set_organisation(db, "  Acme   Engineering ")
    assert choices.organisation(db) == "Acme Engineering"
    choices.set_organisation(db, "")
    assert choices.organisation(db) is None


def test_a_damaged_file_is_named_not_overwritten(tmp_path):
    db = tmp_path / "pillars.duckdb"
    choices.choices_file(db).write_text("{not json")
    with pytest.raises(ValueError, match="pillars.duckdb.boardpack.json is not a board-pack choices file"):
        choices.selection(db, "me")


def test_moving_a_chart_stays_within_the_deck():
    ids = ["a", "b", "c"]
    assert choices.moved(ids, "b", -1) == ["b", "a", "c"]
    assert choices.moved(ids, "a", -1) == ["a", "b", "c"]
    assert choices.moved(ids, "c", 1) == ["a", "b", "c"]
