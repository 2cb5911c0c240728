"""One module per `office-assistant` command."""
