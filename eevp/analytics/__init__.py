"""Analytics: anonymity, survey and exit metrics, reports, customer insights, EVP and CX maturity.

Frames in, frames out; every aggregate passes through :mod:`eevp.analytics.anonymity`.
"""
