#!/usr/bin/env python3
"""make_reference.py - builds the reference data sets of tests/reference (microdata-tools
input format: one folder per variable with NAME.csv and NAME.json) and computes the exact
statistics that `mdata run --trusted` must reproduce, independently of mdata, with
scipy/numpy (Debian python3-scipy). Writes data/ and expected.json; both are committed so
that the test itself (check_reference.py) needs only the Python standard library.

    /usr/bin/python3 tests/reference/make_reference.py
"""
import json
import os
import random

import numpy as np
import scipy.stats as st

HERE = os.path.dirname(os.path.abspath(__file__))
N = 240
REGIONS = {"1": "Nord", "2": "Midt", "3": "Sor"}
SEXES = {"1": "Mann", "2": "Kvinne"}


def make_data():
    rng = random.Random(20261125)
    rows = []
    for i in range(1, N + 1):
        region = rng.choices(["1", "2", "3"], weights=[0.3, 0.45, 0.25])[0]
        sex = rng.choice(["1", "2"])
        base = {"1": 300000, "2": 350000, "3": 420000}[region]
        income = round(base + (25000 if sex == "1" else 0) + rng.gauss(0, 80000))
        hours = round(20 + income / 20000 + rng.gauss(0, 5), 1)
        if i % 30 == 7:
            income = None
        if i % 47 == 11:
            hours = None
        rows.append({"id": "%014d" % i, "region": region, "sex": sex, "income": income,
                     "hours": hours})
    return rows


def meta(title, data_type, codes=None, temporality="FIXED"):
    if codes:
        domain = {"codeList": [{"code": c, "categoryTitle": [{"languageCode": "no",
                                                               "value": t}],
                                "validFrom": "1900-01-01"} for c, t in codes.items()]}
    else:
        domain = {"description": [{"languageCode": "no", "value": title}]}
        domain["measurementType"] = "CURRENCY"
        domain["measurementUnitDescription"] = [{"languageCode": "no", "value": "NOK"}]
    return {
        "temporalityType": temporality,
        "sensitivityLevel": "PERSON_GENERAL",
        "populationDescription": [{"languageCode": "no", "value": "Referansepersoner"}],
        "spatialCoverageDescription": [{"languageCode": "no", "value": "Norge"}],
        "subjectFields": [[{"languageCode": "no", "value": "TEST"}]],
        "dataRevision": {"description": [{"languageCode": "no", "value": "Test."}]},
        "identifierVariables": [{"unitType": "PERSON"}],
        "measureVariables": [{
            "name": [{"languageCode": "no", "value": title}],
            "description": [{"languageCode": "no", "value": title}],
            "dataType": data_type,
            "valueDomain": domain,
        }],
    }


def write_variable(name, rows, key, data_type, codes=None):
    folder = os.path.join(HERE, "data", name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name + ".csv"), "w") as f:
        for r in rows:
            if r[key] is not None:
                f.write("%s;%s;;2021-01-01;\n" % (r["id"], r[key]))
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump(meta(name, data_type, codes), f, indent=2, ensure_ascii=False)
        f.write("\n")


PANEL_DATES = ["2019-01-01", "2020-01-01", "2021-01-01"]
STATES = {"1": "Arbeid", "2": "Utdanning", "3": "Annet"}


def make_panel(rows):
    """A state (STATUS, codes 1-3) and a score (STATUS, LONG) per person at three status
    dates; some persons miss a date (no row), so that transitions across a gap and to or
    from missing are left out."""
    rng = random.Random(20261126)
    panel = []
    for r in rows:
        state = rng.choices(["1", "2", "3"], weights=[0.5, 0.3, 0.2])[0]
        for t, date in enumerate(PANEL_DATES):
            if t > 0 and rng.random() < 0.25:
                state = rng.choice([s for s in STATES if s != state])
            if (int(r["id"]) + t) % 17 == 0:
                continue  # no row at this date
            score = round(40 + 10 * int(state) + 3 * t + rng.gauss(0, 8))
            panel.append({"id": r["id"], "t": t, "date": date, "state": state,
                          "score": None if (int(r["id"]) * 7 + t) % 23 == 0 else score})
    return panel


def write_status_variable(name, panel, key, data_type, codes=None):
    folder = os.path.join(HERE, "data", name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name + ".csv"), "w") as f:
        for p in panel:
            if p[key] is not None:
                f.write("%s;%s;%s;%s;\n" % (p["id"], p[key], p["date"], p["date"]))
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump(meta(name, data_type, codes, "STATUS"), f, indent=2, ensure_ascii=False)
        f.write("\n")


def expected_panel(e, k, panel):
    """Entries k (tabulate-panel REF_STATE), k+1 (summarize-panel REF_SCORE) and k+2
    (transitions-panel REF_STATE)."""
    for code, label in STATES.items():                                # tabulate-panel
        for date in PANEL_DATES:
            e.cell(k, 0, label, date, sum(1 for p in panel
                                          if p["date"] == date and p["state"] == code))
        e.cell(k, 0, label, "Total", len({p["id"] for p in panel if p["state"] == code}))
    for date in PANEL_DATES:
        e.cell(k, 0, "Total", date, sum(1 for p in panel if p["date"] == date))
    e.cell(k, 0, "Total", "Total", len({p["id"] for p in panel}))
    k += 1                                                            # summarize-panel
    for date in PANEL_DATES:
        v = [p["score"] for p in panel if p["date"] == date and p["score"] is not None]
        row = "REF_SCORE|" + date
        e.cell(k, 0, row, "N", len(v))
        e.cell(k, 0, row, "mean", np.mean(v))
        e.cell(k, 0, row, "sd", np.std(v, ddof=1))
        for q in (1, 25, 50, 75, 99):
            e.cell(k, 0, row, "p%d" % q, quantile(v, q / 100))
    k += 1                                                            # transitions-panel
    at = {(p["id"], p["t"]): p["state"] for p in panel}
    counts = {}
    for (unit, t), state in at.items():
        nxt = at.get((unit, t + 1))
        if nxt is not None:
            counts[(state, nxt)] = counts.get((state, nxt), 0) + 1
    codes = list(STATES)
    for a in codes:
        row_total = sum(counts.get((a, b), 0) for b in codes)
        for b in codes:
            e.cell(k, 0, STATES[a], STATES[b], counts.get((a, b), 0))
            e.cell(k, 1, STATES[a], STATES[b], 100.0 * counts.get((a, b), 0) / row_total)
        e.cell(k, 0, STATES[a], "Total", row_total)
    for b in codes:
        e.cell(k, 0, "Total", STATES[b], sum(counts.get((a, b), 0) for a in codes))
    e.cell(k, 0, "Total", "Total", sum(counts.values()))


class Expect:
    def __init__(self):
        self.items = []

    def cell(self, entry, table, row, column, value):
        self.items.append({"entry": entry, "table": table, "row": row, "column": column,
                           "value": float(value)})

    def stat(self, entry, name, value):
        self.items.append({"entry": entry, "stat": name, "value": float(value)})


def quantile(v, p):
    return float(np.quantile(np.asarray(v, dtype=float), p))  # type 7


def gini(v):
    s = np.sort(np.asarray(v, dtype=float))
    n = len(s)
    return float(np.sum((2 * np.arange(1, n + 1) - n - 1) * s) / (n * s.sum()))


def expected(rows, panel):
    e = Expect()
    reg = [r["region"] for r in rows]
    sex = [r["sex"] for r in rows]
    # entry 0..5: require, create-dataset, 4 imports -> statistics start at entry 6
    k = 6
    for c, label in REGIONS.items():                                  # tabulate region
        e.cell(k, 0, label, "Freq", reg.count(c))
    e.cell(k, 0, "Total", "Freq", len(rows))
    k += 1                                                            # tabulate region sex, chi2
    table = np.array([[sum(1 for r in rows if r["region"] == a and r["sex"] == b)
                       for b in SEXES] for a in REGIONS])
    for i, (ca, la) in enumerate(REGIONS.items()):
        for j, (cb, lb) in enumerate(SEXES.items()):
            e.cell(k, 0, la, lb, table[i, j])
        e.cell(k, 0, la, "Total", table[i].sum())
    for j, lb in enumerate(SEXES.values()):
        e.cell(k, 0, "Total", lb, table[:, j].sum())
    chi2, p, df, _ = st.chi2_contingency(table, correction=False)
    e.stat(k, "chi2", chi2)
    e.stat(k, "p", p)
    e.stat(k, "df", df)
    k += 1                                                            # rowpct
    for i, la in enumerate(REGIONS.values()):
        for j, lb in enumerate(SEXES.values()):
            e.cell(k, 0, la, lb, 100.0 * table[i, j] / table[i].sum())
    k += 1                                                            # summarize, gini iqr
    for name in ("income", "hours"):
        v = [r[name] for r in rows if r[name] is not None]
        e.cell(k, 0, name, "N", len(v))
        e.cell(k, 0, name, "mean", np.mean(v))
        e.cell(k, 0, name, "sd", np.std(v, ddof=1))
        for p in (1, 25, 50, 75, 99):
            e.cell(k, 0, name, "p%d" % p, quantile(v, p / 100))
        e.cell(k, 0, name, "gini", gini(v))
        e.cell(k, 0, name, "iqr", quantile(v, 0.75) - quantile(v, 0.25))
    k += 1                                                            # tabulate, summarize()
    for c, label in list(REGIONS.items()) + [(None, "Total")]:
        v = [r["income"] for r in rows if r["income"] is not None and
             (c is None or r["region"] == c)]
        e.cell(k, 0, label, "mean(income)", np.mean(v))
        e.cell(k, 0, label, "std(income)", np.std(v, ddof=1))
        e.cell(k, 0, label, "p50(income)", quantile(v, 0.5))
    both = [r for r in rows if r["income"] is not None and r["hours"] is not None]
    x = np.array([r["income"] for r in both], dtype=float)
    y = np.array([r["hours"] for r in both], dtype=float)
    k += 1                                                            # correlate, covariance
    cov = np.cov(x, y)
    e.cell(k, 0, "income", "hours", cov[0, 1])
    e.cell(k, 0, "income", "income", cov[0, 0])
    e.cell(k, 0, "hours", "hours", cov[1, 1])
    k += 1                                                            # correlate, sig obs
    r, p = st.pearsonr(x, y)
    e.cell(k, 0, "income", "hours", r)
    e.cell(k, 0, "hours", "income", r)
    e.cell(k, 1, "income", "hours", len(x))
    e.cell(k, 2, "income", "hours", p)
    k += 1                                                            # ci
    for name in ("income", "hours"):
        v = np.array([r[name] for r in rows if r[name] is not None], dtype=float)
        se = st.sem(v)
        lo, hi = st.t.interval(0.95, len(v) - 1, loc=v.mean(), scale=se)
        e.cell(k, 0, name, "N", len(v))
        e.cell(k, 0, name, "mean", v.mean())
        e.cell(k, 0, name, "se", se)
        e.cell(k, 0, name, "95% CI low", lo)
        e.cell(k, 0, name, "95% CI high", hi)
    k += 1                                                            # normaltest
    for name in ("income", "hours"):
        v = np.array([r[name] for r in rows if r[name] is not None], dtype=float)
        tests = {"skewness": st.skewtest(v), "kurtosis": st.kurtosistest(v),
                 "skewness-kurtosis": st.normaltest(v), "Jarque-Bera": st.jarque_bera(v)}
        for test, res in tests.items():
            e.cell(k, 0, name + "|" + test, "statistic", res[0])
            e.cell(k, 0, name + "|" + test, "p", res[1])
        w, pw = st.shapiro(v)  # scipy computes W in single precision: looser tolerances
        e.items.append({"entry": k, "table": 0, "row": name + "|Shapiro-Wilk",
                        "column": "statistic", "value": float(w), "tolerance": 2e-6})
        e.items.append({"entry": k, "table": 0, "row": name + "|Shapiro-Wilk",
                        "column": "p", "value": float(pw), "tolerance": 1e-3})
    k += 1                                                            # anova, posthoc
    groups = [[r["income"] for r in rows if r["income"] is not None and r["region"] == c]
              for c in REGIONS]
    f, p = st.f_oneway(*groups)
    e.cell(k, 0, "Between groups", "F", f)
    e.cell(k, 0, "Between groups", "p", p)
    e.cell(k, 0, "Between groups", "df", len(groups) - 1)
    e.cell(k, 0, "Within groups", "df", sum(map(len, groups)) - len(groups))
    allv = np.concatenate(groups)
    ss_total = float(((allv - allv.mean()) ** 2).sum())
    ss_within = float(sum(((np.array(g) - np.mean(g)) ** 2).sum() for g in groups))
    e.cell(k, 0, "Total", "SS", ss_total)
    e.cell(k, 0, "Within groups", "SS", ss_within)
    e.stat(k, "R2", (ss_total - ss_within) / ss_total)
    res = st.tukey_hsd(*groups)
    ci = res.confidence_interval(0.95)
    labels = list(REGIONS.values())
    for a in range(3):
        for b in range(a + 1, 3):
            row = "%s vs %s" % (labels[b], labels[a])
            e.cell(k, 1, row, "difference", -res.statistic[a, b])
            e.items.append({"entry": k, "table": 1, "row": row, "column": "p",
                            "value": float(res.pvalue[a, b]), "tolerance": 1e-6})
            e.items.append({"entry": k, "table": 1, "row": row, "column": "95% CI low",
                            "value": float(-ci.high[a, b]), "tolerance": 1e-4})
            e.items.append({"entry": k, "table": 1, "row": row, "column": "95% CI high",
                            "value": float(-ci.low[a, b]), "tolerance": 1e-4})
    k += 1                                                            # n-way: region sex
    nway(e, k, rows, "C(region) + C(sex)",
         {"C(region)": "region", "C(sex)": "sex"})
    k += 1                                                            # region##sex
    nway(e, k, rows, "C(region) * C(sex)",
         {"C(region)": "region", "C(sex)": "sex", "C(region):C(sex)": "region#sex"})
    k += 1                                                            # ANCOVA
    nway(e, k, rows, "C(region) + hours", {"C(region)": "region", "hours": "c.hours"})
    k += 4                                                            # clone-units, use,
    expected_panel(e, k, panel)                                       # import-panel
    return e.items


def nway(e, k, rows, formula, names):
    """Partial sums of squares (each term dropped from the full model, treatment coding):
    statsmodels' anova_lm typ=3."""
    import pandas as pd
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm
    data = pd.DataFrame([r for r in rows if r["income"] is not None and
                         ("hours" not in formula or r["hours"] is not None)])
    data["income"] = data["income"].astype(float)
    data["hours"] = data["hours"].astype(float)
    fit = smf.ols("income ~ " + formula, data=data).fit()
    table = anova_lm(fit, typ=3)
    for term, name in names.items():
        e.cell(k, 0, name, "SS", table.loc[term, "sum_sq"])
        e.cell(k, 0, name, "df", table.loc[term, "df"])
        e.cell(k, 0, name, "F", table.loc[term, "F"])
        e.cell(k, 0, name, "p", table.loc[term, "PR(>F)"])
    e.cell(k, 0, "Residual", "SS", fit.ssr)
    e.cell(k, 0, "Residual", "df", fit.df_resid)
    e.cell(k, 0, "Model", "SS", fit.ess)
    e.cell(k, 0, "Model", "F", fit.fvalue)
    e.cell(k, 0, "Model", "p", fit.f_pvalue)
    e.stat(k, "R2", fit.rsquared)
    e.stat(k, "N", fit.nobs)


def main():
    rows = make_data()
    write_variable("REF_REGION", rows, "region", "STRING", REGIONS)
    write_variable("REF_SEX", rows, "sex", "STRING", SEXES)
    write_variable("REF_INCOME", rows, "income", "LONG")
    write_variable("REF_HOURS", rows, "hours", "DOUBLE")
    panel = make_panel(rows)
    write_status_variable("REF_STATE", panel, "state", "STRING", STATES)
    write_status_variable("REF_SCORE", panel, "score", "LONG")
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump(expected(rows, panel), f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
