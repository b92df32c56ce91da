"""The generated sentences: facts read off the report, nothing invented, nothing about a hidden figure."""

from __future__ import annotations

from cpqa.reports.facts import facts
from cpqa.reports.suppression import suppress_report
from tests.reports.sample_report import sample_report


def test_children_on_plan_rose_from_april_to_march() -> None:
    assert facts(sample_report(), "children_on_plan_by_month") == [
        "The number of children subject of a plan rose from 391 in April to 559 in March.",
        "The highest month-end figure was 559, in March.",
    ]


def test_children_on_plan_fell_and_stayed() -> None:
    report = sample_report()
    rows = report["tables"]["children_on_plan_by_month"]["rows"]
    rows[-1]["children"] = 350
    assert facts(report, "children_on_plan_by_month")[0] == (
        "The number of children subject of a plan fell from 391 in April to 350 in March.")
    rows[-1]["children"] = 391
    assert facts(report, "children_on_plan_by_month")[0] == (
        "The number of children subject of a plan was 391 in both April and March.")


def test_conferences_compared_with_the_previous_year() -> None:
    assert facts(sample_report(), "initial_conferences_by_month") == [
        "There were 870 initial child protection conferences in 2017-18, compared with 473 in 2016-17.",
        "737 resulted in a plan; 133 did not.",
        # Busiest month: March's 100; quietest: June's 31 (from the rows' totals).
        "The most were held in March (100) and the fewest in June (31).",
    ]


def test_benchmarked_ratio_and_rate() -> None:
    report = sample_report()
    assert facts(report, "second_or_subsequent_plans") == [
        "16.7% of plans started in the year were a second or subsequent plan (133 of 797; national 20.2%)."]
    assert facts(report, "rate_per_10000") == [
        ("At 31 March the rate of children subject of a plan was 90.1 per 10,000 children aged 0 to 17, "
        "compared with a national rate of 45.3.")]


def test_missing_population_is_said_not_guessed() -> None:
    report = sample_report()
    report["tables"]["rate_per_10000"]["rows"][0].update(population=None, rate=None)
    assert facts(report, "rate_per_10000") == [
        "The rate per 10,000 children needs the authority's child population, which was not supplied."]


def test_unknown_transfer_out_from_a_census_file_is_said_to_be_unknown() -> None:
    report = sample_report()
    table = report["tables"]["transfer_conferences_by_month"]
    for row in table["rows"]:
        row["transfer_out"] = None
    table["totals"]["transfer_out"] = None
    table["previous_year"]["transfer_out"] = None
    assert facts(report, "transfer_conferences_by_month") == [
        "There were 89 transfer-in conferences (65 in 2016-17).",
        "The number of transfer-out conferences is not known from this source.",
    ]


def test_no_sentence_states_a_suppressed_figure() -> None:
    report = sample_report()
    report["tables"]["plans_ended_after_2_years"]["rows"][0].update(after_2_years=4, percent=1.1)
    published = suppress_report(report)
    assert facts(published, "plans_ended_after_2_years") == []
    # Pre-birth: 19 under 4 weeks etc. are all above 5, so the totals sentence stays.
    assert facts(published, "prebirth_conferences_by_month")[0] == (
        "There were 67 pre-birth initial conferences in 2017-18.")


def test_unavailable_table_has_no_sentences() -> None:
    assert facts(sample_report(), "quorate_conferences") == []
