"""A province's communes built from one repository: see run.py (the build), aggregate.py (``OUT/tinh/``),
scaffold.py (``init --province``) and deploy.py (web server configuration, CI matrix)."""
