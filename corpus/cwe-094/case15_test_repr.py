import unittest
from decimal import Decimal


class Money:
    def __init__(self, amount, currency):
        self.amount = Decimal(amount)
        self.currency = currency

    def __repr__(self):
        return f"Money({str(self.amount)!r}, {self.currency!r})"

    def __eq__(self, other):
        return (self.amount, self.currency) == (other.amount, other.currency)


class MoneyReprTest(unittest.TestCase):
    def test_repr_round_trip(self):
        m = Money("12.50", "EUR")
        self.assertEqual(eval(repr(m)), m)
