"""The taskraft web UI (Streamlit): manage tasks, and watch the cluster keep them safe.

`ui/app.py` is the entry point (`.venv/bin/streamlit run ui/app.py`); the pages are in
`ui/views/`, and the modules here hold what the pages share. Everything talks to the cluster
through the typed client in clients/python.
"""
