"""Enforcement documents (执法文书): rendered from templates/cases/documents/ to PDF with WeasyPrint,
numbered with the number the workflow gave, hashed (SHA-256) and stored in the default storage.

    generate(case, kind, actor, context=None) → Document
    available_kinds(case) → [DocumentKind, …]
    DOCUMENT_TEMPLATES: {DocumentKind: template name}
    amount_in_capitals(50000) → "伍万元整"
"""

from .amounts import amount_in_capitals, amount_in_figures
from .filters import chinese_date
from .service import (
    DOCUMENT_TEMPLATES,
    available_kinds,
    build_context,
    current_documents,
    generate,
    render_document_html,
)

__all__ = [
    "DOCUMENT_TEMPLATES",
    "amount_in_capitals",
    "amount_in_figures",
    "available_kinds",
    "build_context",
    "chinese_date",
    "current_documents",
    "generate",
    "render_document_html",
]
