"""Billing: invoices Spanish law accepts, gapless numbers, rectification, the Verifactu chain."""
