"""Pillars: the engineering-leadership dashboard's core (no streamlit outside lib/ui)."""
