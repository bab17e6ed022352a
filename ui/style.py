"""The UI's look beyond Streamlit's theme (.streamlit/config.toml): a little CSS for denser
task rows and cards, injected once per run. Purely visual; no behaviour depends on it."""

from __future__ import annotations

import streamlit as st

_CSS = """
<style>
  .block-container { padding-top: 2.2rem; padding-bottom: 2rem; }
  div[data-testid="stVerticalBlockBorderWrapper"] { border-radius: 0.6rem; }
  .tr-muted { color: #6b7280; font-size: 0.85rem; }
  .tr-row-title { font-weight: 600; }
  h1 { letter-spacing: -0.02em; }
  div[data-testid="stMetricValue"] { font-size: 1.6rem; }
</style>
"""


def inject() -> None:
    st.html(_CSS)
