"""Edu4All Image Studio: everything below the pages (importable without a browser)."""
