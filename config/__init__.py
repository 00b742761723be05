"""Project configuration: settings, root URLs, the WSGI entry point."""
