"""Hours to credits, and what a yearly cap leaves: plain functions, checked by Hypothesis.

Credits are kept to one decimal place and rounded toward zero, so a conversion
never grants a tenth that the hours did not earn and a sum of grants never
passes a cap.
"""

from decimal import ROUND_DOWN, Decimal

TENTH = Decimal("0.1")


def convert(hours: Decimal, hours_per_credit: Decimal) -> Decimal:
    """Credits for these hours (negative for a correction), rounded toward zero to a tenth."""
    if hours_per_credit <= 0:
        raise ValueError("hours_per_credit must be positive")
    return (Decimal(hours) / Decimal(hours_per_credit)).quantize(TENTH, rounding=ROUND_DOWN)


def grant(
    converted: Decimal, *, cap: Decimal | None, counted_this_year: Decimal, counted_for_record: Decimal
) -> Decimal:
    """What a region grants of `converted` credits.

    A gain is limited by what the category's yearly cap leaves this year; a loss
    (a correction) takes back at most what the record and its corrections hold.
    """
    if converted >= 0:
        if cap is None:
            return converted
        return max(min(converted, cap - counted_this_year), Decimal("0"))
    return max(converted, -counted_for_record)
