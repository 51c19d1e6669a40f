"""Statistics behind `spreadkit compare`: pure functions, no I/O.

- `funnel`: one proportion across sites, with control limits for each site's
  denominator (Spiegelhalter 2005), so that sites are judged against chance and
  never ranked.
- `spc`: one site over time, as an XmR chart or p-chart with the NHS Making Data
  Count special-cause rules.
- `distributions`: the binomial and chi-square functions both need, in pure Python.
"""
