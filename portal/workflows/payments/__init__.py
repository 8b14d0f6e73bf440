"""Fees and payments: what an application costs, how a payment is recorded, when review is due."""
