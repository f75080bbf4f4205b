"""The AM management API double (``app.build_app``)."""
