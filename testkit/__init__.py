"""Tools for the test suite, the evaluation harness and the scripts -- not part of the product.

Not installed with the package (``pyproject.toml`` lists only the product packages) and never imported
by them; tests, ``benchmarks/`` and ``scripts/`` import it from the checkout:

* ``reply_templates`` renders the shared mail corpus's reply templates (``../shared/mail-corpus``)
  into mail bytes as each mail program sends them;
* ``live_server`` runs the app on a thread and a free port for browser tests and screenshots, and
  says how Debian's Chromium is launched.
"""
