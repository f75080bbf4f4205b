"""The APIM gateway double (``app.build_app``)."""
