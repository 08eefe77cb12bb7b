"""The clinic's gateway: routing, the auth edge, dashboard aggregation and the SPA."""
