"""The rules, as pure functions over plain tables: no Django, no I/O."""
