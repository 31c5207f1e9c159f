"""The one way casuistry makes HTML: Jinja templates with autoescaping, and one security policy.

Every page and fragment (a report, the index, the signal graph, a notebook
frame) is rendered from a template of its package by :func:`render`, which
escapes every value unless it is marked :func:`trusted`. Only HTML that
casuistry made itself is trusted: an inline SVG of a matplotlib figure, a
rendered fragment, a stylesheet or script shipped with casuistry or pyvis.
Data for a script goes through Jinja's ``tojson`` filter, which makes it safe
inside a ``<script>`` element.

Examples
--------
>>> frame = render("casuistry.viz", "frame.html.j2", title="a&b", page="<p>", height=10)
>>> frame[:78]
'<div class="casuistry-page"><iframe title="a&amp;b" srcdoc="&lt;p&gt;" sandbox'

"""

from __future__ import annotations

from functools import cache

#: A page may load nothing from anywhere: no network, no file, only what it holds.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
)


@cache
def environment(package: str):
    """The Jinja environment of the templates in ``package``'s ``templates`` folder.

    Autoescaping is on and an undefined variable is an error.
    """
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def trusted(html: str):
    """Mark HTML that casuistry made itself as safe to insert without escaping."""
    from markupsafe import Markup

    return Markup(html)


def render(package: str, template: str, **context) -> str:
    """Render ``template`` of ``package`` with ``context``, escaping every untrusted value.

    Parameters
    ----------
    package : str
        The package holding the ``templates`` folder, e.g. ``"casuistry.reporting"``.
    template : str
        The template's file name.
    **context
        The template's variables; ``csp`` (the security policy) is always there.
    """
    return (
        environment(package).get_template(template).render(csp=CONTENT_SECURITY_POLICY, **context)
    )
