"""Reading and parsing source files, and resolving the names they use."""
