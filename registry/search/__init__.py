"""One search engine for the site and the MCP service (see docs/site.md#search, docs/mcp.md).

    Document --analyze_document--> AnalyzedDoc (per item, cacheable)
    [AnalyzedDoc] + popularity --SearchIndex.build--> SearchIndex (per catalog snapshot)
    SearchIndex.search(query) -> [Hit]             (MCP, in-process)
    SearchIndex -> lunr.js index                   (builder/search.py, for the site)
"""

from .analyzer import analyze, stem, tokenize, trim
from .document import (
           FIELDS,
           AnalyzedDoc,
           Document,
           analyze_document,
           bundled_text,
           item_document,
           markdown_parts,
           skill_document,
)
from .index import MAX_QUERY_CHARS, MAX_QUERY_TERMS, Hit, QueryTooLong, SearchIndex, check_query, js_order
from .ranking import Popularity, name_key
from .summary import summary

__all__ = ["FIELDS", "MAX_QUERY_CHARS", "MAX_QUERY_TERMS", "AnalyzedDoc", "Document", "Hit", "Popularity",
           "QueryTooLong", "SearchIndex", "analyze", "analyze_document", "bundled_text",
           "check_query", "item_document",
           "js_order", "markdown_parts", "name_key", "skill_document", "stem", "summary", "tokenize", "trim"]
