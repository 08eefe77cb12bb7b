"""Identity service: staff accounts, roles, sign-in, RS256 tokens + JWKS, login throttling."""
