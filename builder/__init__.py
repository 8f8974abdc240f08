"""Relay's static site builder: the registry in git -> HTML pages, a search index, a JSON API, zips.

`builder.build.build()` is the pipeline; everything else is one stage or one helper.
"""
