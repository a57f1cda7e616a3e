"""Sphinx extension: each inline script once per page.

sphinx-thebe (which Jupyter Book 1 always loads) adds its configuration as an
inline script, ``const THEBE_JS_URL = ...``, after the HTML builder has
started. Sphinx lists such a script once when it is added (file name ``None``)
and again when it prepares to write the pages (file name ``''``); its
duplicate check tells the two apart, so every page declared the constant twice and
the browser logged "Uncaught SyntaxError: Identifier 'THEBE_JS_URL' has
already been declared". This extension drops a repeated inline script from
each page's script list; scripts loaded from files are left as they are.
Enabled in _config.yml (``sphinx.local_extensions``).
"""


def _drop_repeated_inline_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body")
        if not getattr(script, "filename", None) and body is not None:
            if body in seen:
                continue
            seen.add(body)
        kept.append(script)
    context["script_files"] = kept


def setup(app):
    # after the themes and extensions have filled the page's script list
    app.connect("html-page-context", _drop_repeated_inline_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
