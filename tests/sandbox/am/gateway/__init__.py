"""The AM gateway double (``app.build_app``)."""
