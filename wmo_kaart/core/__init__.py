"""The core of Wmo-kaart: schema, validation, reference data, projections and filtering.

Nothing in this package imports Flask or Dash; the web app, API and CLI are adapters on top.
"""
