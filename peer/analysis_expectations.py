"""Expected values for tests/it/analysis.rs, computed with pandas and numpy (the libraries of the
write-up). Run: python3 peer/analysis_expectations.py  (needs pandas, numpy; not a project
dependency, not run by CI). The numbers it prints are written into the tests by hand."""
import numpy as np
import pandas as pd

ts = pd.to_datetime(["2021-01-03 15:00", "2021-01-04 01:00", "2021-01-17 10:00",
                     "2021-01-18 00:00", "2021-02-01 12:00"])
s = pd.Series(1, index=ts)
for rule in ["1W", "2W", "3W", "7D", "ME"]:
    print(rule, s.resample(rule).count().to_dict())
ts2 = pd.to_datetime(["2021-01-05 15:00", "2021-01-20 00:00", "2021-02-20 00:00"])
s2 = pd.Series(1, index=ts2)
for rule in ["2W", "3W", "2ME"]:
    print("second", rule, s2.resample(rule).count().to_dict())

x = np.arange(10.0)
y = np.array([3.1, 2.0, 4.5, 6.2, 5.9, 7.7, 8.1, 7.4, 9.9, 12.0])
p = np.polynomial.Polynomial.fit(x, y, 4)
print("polyfit coef", p.coef.tolist())
print("polyfit values", p(x).tolist())

d = pd.DataFrame({"energy": [0.5, 0.9, 0.1, 0.7, np.nan]})
print(d.describe().to_dict())
