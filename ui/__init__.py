"""Shared Streamlit pieces: the sidebar controls, the share link and page helpers.

Pages import from here so no page repeats another's layout logic; numbers still come
only from ``core``.
"""
