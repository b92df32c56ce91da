"""The annual report's indicators, one module per section of the report
(docs/definitions.md#the-reports-indicators).

Every function takes the record as tables (`cpqa.domain.tables.Record`) and a reporting year and
returns a table whose columns are the report's row keys. Shared counting rules are in `common`.

- `numbers` (2a) children on a plan by month, rate per 10,000
- `conferences` (2b) initial, review, pre-birth and transfer conferences by month
- `profile` (2c) age and gender, ethnicity
- `categories` (2d) initial, latest and combined categories of abuse
- `factors` (2e) assessment factors
- `plans` (3a, 3b) second or subsequent plans, long plans, how long ended plans lasted
- `repeat_plans` (3a) the QA reviews of repeat plans
- `reviews` (3c) review timeliness, per conference and DfE `RevCP`
- `timeliness` (3d) initial conferences within 15 working days, reasons for late ones
- `participation` (4) child participation
- `multi_agency` (5) quoracy, agency attendance and reports
- `escalations` (6) formal escalations and informal challenge
"""
