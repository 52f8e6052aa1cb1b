"""One module per report page: the sections its notebook shows, in order."""
