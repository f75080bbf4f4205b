"""The APIM management API v2 double (``app.build_app``)."""
