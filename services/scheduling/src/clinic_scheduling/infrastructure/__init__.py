"""Storage: SQLAlchemy tables and the repositories over them."""
