"""Diacritic-insensitive search over Vietnamese text: folding, query terms, tsquery text and snippets."""
