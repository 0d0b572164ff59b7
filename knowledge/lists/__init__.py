"""The list pipeline: catalogue, download, refresh, importers, bundled extracts, records and change detection."""
