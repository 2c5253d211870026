"""The optional view-counter endpoint (see cli.py, app.py, storage)."""
