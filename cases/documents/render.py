"""HTML → PDF. The document templates run in their own template engine (autoescaping, with the
document filters built in) and WeasyPrint lays them out on A4 with the CJK fonts that
fontconfig finds on the machine (fonts-noto-cjk); no web fonts, no remote assets."""

from functools import lru_cache

from django.conf import settings
from django.template import Context, Engine


@lru_cache(maxsize=1)
def engine():
    return Engine(
        dirs=[settings.BASE_DIR / "templates"],
        autoescape=True,
        builtins=["cases.documents.filters"],
        debug=False,
        loaders=[
            ("django.template.loaders.cached.Loader", ["django.template.loaders.filesystem.Loader"]),
        ],
        string_if_invalid="",
    )


def render_html(template_name, context):
    return engine().get_template(template_name).render(Context(context, autoescape=True))


def html_to_pdf(html):
    # Imported here: WeasyPrint pulls in Pango through cffi, which only the document code needs.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
