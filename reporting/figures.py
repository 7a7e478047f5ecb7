"""The headline report's shape: what `reporting.headline.headline_report` returns.

Plain data, no database access: the table page, the exports and the JSON interface of the
`headline_report` command all read these objects. `as_dict()` is the stable machine interface
documented in docs/indicators.md.
"""

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

RULES_VERSION = "2026-11-23.1"  # raise when a counting rule in reporting.indicators changes


@dataclass(frozen=True)
class ReportPeriod:
    label: str | None
    start: date
    end: date

    def as_dict(self):
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int | None  # None for a count that is not a share (follow-ups)

    @property
    def pct(self) -> int | None:
        """Whole percent, halves rounded away from zero; None without a denominator (or a zero one)."""
        if not self.denominator:
            return None
        return percent_rounded(self.numerator, self.denominator)

    def as_dict(self):
        return {"numerator": self.numerator, "denominator": self.denominator, "pct": self.pct}


@dataclass(frozen=True)
class PartnerValue:
    partner: str
    country: str
    value: int
    funded: bool
    # The part of `value` from returns funded in the period, where it differs (a year of two halves, one
    # funded); None means all of it when `funded`, none of it otherwise.
    funded_value: int | None = None

    @property
    def value_in_funded_total(self) -> int:
        if self.funded_value is not None:
            return self.funded_value
        return self.value if self.funded else 0

    def as_dict(self):
        return {"partner": self.partner, "country": self.country, "value": self.value, "funded": self.funded}


@dataclass
class IndicatorRow:
    id: str
    label: str
    unit: str
    definition: str
    by_country: dict[str, int]
    direct_total: int
    comparator_value: Fraction | None = None
    partners: list[PartnerValue] = field(default_factory=list)
    # Legacy returns added to computed values in this period ("GB", or "direct" for the total).
    legacy_overlap: list[str] = field(default_factory=list)

    @property
    def growth_pct(self) -> int | None:
        return growth_pct(self.direct_total, self.comparator_value)

    @property
    def incl_funded_joint_ops(self) -> int:
        return self.direct_total + sum(p.value_in_funded_total for p in self.partners)

    def as_dict(self):
        return {
            "id": self.id,
            "label": str(self.label),
            "unit": str(self.unit),
            "by_country": dict(self.by_country),
            "direct_total": self.direct_total,
            "comparator_value": None if self.comparator_value is None else float(self.comparator_value),
            "growth_pct": self.growth_pct,
            "partners": [p.as_dict() for p in self.partners],
            "incl_funded_joint_ops": self.incl_funded_joint_ops,
        }


@dataclass
class OutcomeRow:
    id: str
    label: str
    definition: str
    by_country: dict[str, Ratio]
    direct_total: Ratio

    def as_dict(self):
        return {
            "id": self.id,
            "label": str(self.label),
            "by_country": {country: ratio.as_dict() for country, ratio in self.by_country.items()},
            "direct_total": self.direct_total.as_dict(),
        }


@dataclass
class HeadlineReport:
    period: ReportPeriod
    comparator: ReportPeriod | None
    countries: list[str]  # the direct-work countries, in column order
    indicators: list[IndicatorRow]
    outcomes: list[OutcomeRow]
    rules_version: str = RULES_VERSION

    def indicator(self, indicator_id: str) -> IndicatorRow:
        return next(row for row in self.indicators if row.id == indicator_id)

    def outcome(self, outcome_id: str) -> OutcomeRow:
        return next(row for row in self.outcomes if row.id == outcome_id)

    @property
    def partner_names(self) -> list[str]:
        """Every partner with a return for one indicator or more, in the order they first appear."""
        names: list[str] = []
        for row in self.indicators:
            for value in row.partners:
                if value.partner not in names:
                    names.append(value.partner)
        return names

    def as_dict(self):
        return {
            "period": self.period.as_dict(),
            "comparator": self.comparator.as_dict() if self.comparator else None,
            "rules_version": self.rules_version,
            "indicators": [row.as_dict() for row in self.indicators],
            "outcomes": [row.as_dict() for row in self.outcomes],
        }


def growth_pct(value: int, comparator: Fraction | None) -> int | None:
    """(value − comparator) / comparator × 100, truncated toward zero; None for no or a zero comparator."""
    if comparator is None or comparator == 0:
        return None
    return int((Fraction(value) - Fraction(comparator)) * 100 / Fraction(comparator))  # int() truncates toward zero


def percent_rounded(numerator: int, denominator: int) -> int:
    """numerator / denominator as a whole percent, halves rounded away from zero (exactly, no floats)."""
    share = Fraction(numerator * 100, denominator)
    magnitude = int(abs(share) + Fraction(1, 2))
    return magnitude if share >= 0 else -magnitude
