"""Sphinx extension: the single-page builder renders every node the HTML builder renders.

Sphinx gives a builder the node handlers registered under its own name, and
falls back to those of its format ("html") only when there are none.
sphinx-exercise registers a few handlers under "singlehtml", so that builder
lost all the others (myst-nb's hidden code cells among them) and
``jupyter-book build --builder singlehtml`` (``make pdf``) failed on "unknown
node type". This extension adds the missing "html" handlers to "singlehtml".
"""


def _inherit_html_handlers(app):
    handlers = app.registry.translation_handlers
    if "singlehtml" in handlers:
        for node, visitors in handlers.get("html", {}).items():
            handlers["singlehtml"].setdefault(node, visitors)


def setup(app):
    app.connect("builder-inited", _inherit_html_handlers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
