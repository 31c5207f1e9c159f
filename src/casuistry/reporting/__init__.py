"""The retrospective learning report: one self-contained HTML file per case, nl or en.

The public entry is ``casuistry.report(analysis, case_id, path, lang="nl",
calendar_dates=False)``, defined in :mod:`casuistry.reporting.writer`.
"""
