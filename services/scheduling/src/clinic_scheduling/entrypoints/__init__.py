"""Ways in: HTTP routers, event consumers and the CLI."""
