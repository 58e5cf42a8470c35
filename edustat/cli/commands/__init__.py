"""One module per command; edustat.cli.app.LazyGroup imports a module only when its command is used."""
