"""The DfE CIN census rules, one module per census module (the `table` a rule reports).

A new rule goes in the module of the census module it reports, written with that module's
`RULES.rule` decorator; `cin_check.rule_sets` decides which collection years run it.
"""
