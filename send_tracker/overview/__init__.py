"""The top layer: the pages that read every app at once. The scrutiny dashboard (`dashboard.py`) and
the public page (`public.py`) gather each app's sections from its `reports.py` (`dashboard_section`,
`public_section`); `compare.py` sets partnerships side by side. Nothing below imports from here.
"""
