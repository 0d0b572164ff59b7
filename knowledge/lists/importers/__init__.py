"""One importer per publisher format, each parsing a list's files into ListedRecords or refusing them by name."""
