"""No tables of its own yet: it works on the record."""
