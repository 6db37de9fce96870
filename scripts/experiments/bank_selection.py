"""Model selection on the bank-marketing chronological split: an experiment, not a fixture.

Why `leadlift train` picks gradient-boosted trees on the chronological split of
`npm run bench:real` (test PR-AUC about 0.43) when the logistic regression scores about 0.53
on the same test rows, and whether a validation-based rule could pick better. It mimics
leadlift's trainer: test = last 20% of rows (chronological) or scikit-learn's stratified
80/20 split (random, seed 42); the validation slice = the last 20% of the training rows (or
a stratified 20%); each candidate is fit without the validation slice, scored on it, then
refit on all training rows (trees with the early-stopped number of rounds).

Candidates:
- logreg: numeric columns standardized, one-hot indicators 0/1, LogisticRegression(C=1);
- gbt: XGBoost hist, leaf-wise (31 leaves), learning rate 0.05, early stopping after 50
  rounds on validation PR-AUC (a stand-in for leadlift's trees: validation PR-AUC 0.191
  here vs 0.190 for leadlift's own);
- lin+gbt: depth-limited XGBoost trees boosted from the logistic regression's logit
  (`base_margin`), so the trees correct the linear model and the linear part extrapolates.

Sections: (1) validation and test PR-AUC of each candidate on both splits; (2) the
chronological split's selection with other validation slices (fraction, most recent
part), and leadlift's rule (the trees must win on the whole slice and on its most recent
half); (3) forward-chaining folds inside the training rows (TimeSeriesSplit-like);
(4) a paired bootstrap of the validation PR-AUC difference gbt - logreg.

Usage: /usr/bin/python3 scripts/experiments/bank_selection.py [path to bank-additional-full.csv]
Needs numpy, pandas, scikit-learn 1.2 and xgboost 1.7 (Debian python3-sklearn, python3-xgboost).
One thread, seeded: the same numbers on every run. About two minutes of CPU.
In section (3) each fold early-stops the trees on its own evaluation rows, which favours the
trees (so a win there for logreg or lin+gbt is not flattered).
"""
import sys
import warnings

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score as ap
from sklearn.model_selection import train_test_split

warnings.filterwarnings("ignore")
PATH = sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/bank-marketing/bank-additional-full.csv"

df = pd.read_csv(PATH, sep=";")
y = (df.pop("y") == "yes").astype(int).values
df = df.drop(columns=["duration"])  # leaks the outcome
cat = [c for c in df.columns if df[c].dtype == object]
num = [c for c in df.columns if c not in cat]
n = len(df)
X_ord = df.copy()
for c in cat:
    X_ord[c] = X_ord[c].astype("category").cat.codes
X_ord = X_ord.values.astype(float)
hot = pd.get_dummies(df, columns=cat).astype(float)
num_idx = [hot.columns.get_loc(c) for c in num]
X_hot = hot.values


def tail(rows, fraction):
    cut = len(rows) - int(np.ceil(fraction * len(rows)))
    return rows[:cut], rows[cut:]


def splits(kind):
    """(train, test, train minus validation, validation) row indices, as leadlift draws them."""
    idx = np.arange(n)
    if kind == "chronological":
        train, test = tail(idx, 0.2)
        sub, val = tail(train, 0.2)
    else:
        train, test = train_test_split(idx, test_size=0.2, stratify=y, random_state=42)
        train, test = np.sort(train), np.sort(test)
        sub, val = train_test_split(train, test_size=0.2, stratify=y[train], random_state=42)
    return train, test, sub, val


def fit_logreg(rows, _val=None):
    mu = X_hot[rows][:, num_idx].mean(0)
    sd = X_hot[rows][:, num_idx].std(0)
    sd[sd == 0] = 1

    def transform(r):
        x = X_hot[r].copy()
        x[:, num_idx] = (x[:, num_idx] - mu) / sd
        return x

    m = LogisticRegression(C=1.0, max_iter=2000).fit(transform(rows), y[rows])
    return lambda r: m.decision_function(transform(r)), None


def params(**extra):
    p = dict(objective="binary:logistic", tree_method="hist", eta=0.05, reg_lambda=1.0,
             eval_metric="aucpr", seed=0, nthread=1)
    p.update(extra)
    return p


GBT = params(grow_policy="lossguide", max_leaves=31, max_depth=0, min_child_weight=0)


def boost(p, rows, margin=None, val=None, val_margin=None, rounds=None):
    """Early-stopped on `val` when rounds is None; returns (score function, rounds)."""
    dtrain = xgb.DMatrix(X_ord[rows], label=y[rows])
    if margin is not None:
        dtrain.set_base_margin(margin)
    if rounds is None:
        dval = xgb.DMatrix(X_ord[val], label=y[val])
        if val_margin is not None:
            dval.set_base_margin(val_margin)
        b = xgb.train(p, dtrain, 1000, evals=[(dval, "val")], early_stopping_rounds=50, verbose_eval=False)
        rounds = b.best_iteration + 1
    else:
        b = xgb.train(p, dtrain, rounds)
    return b, rounds


def raw(b, rounds, r, margin=None):
    d = xgb.DMatrix(X_ord[r])
    if margin is not None:
        d.set_base_margin(margin)
    return b.predict(d, output_margin=True, iteration_range=(0, rounds))


def fit_gbt(rows, val, p=GBT):
    b, k = boost(p, rows, val=val)
    return (lambda r: raw(b, k, r)), k


def fit_lin_gbt(rows, val, p):
    lin, _ = fit_logreg(rows)
    b, k = boost(p, rows, lin(rows), val, lin(val))
    return (lambda r: raw(b, k, r, lin(r))), k


def candidates_on(kind):
    train, test, sub, val = splits(kind)
    print(f"{kind}: positive rate train {y[sub].mean():.3f}, validation {y[val].mean():.3f}, test {y[test].mean():.3f}")
    rows = []
    lr_sub, _ = fit_logreg(sub)
    lr_all, _ = fit_logreg(train)
    rows.append(("logreg", ap(y[val], lr_sub(val)), ap(y[test], lr_all(test)), ""))
    g_sub, k = fit_gbt(sub, val)
    g_all, _ = fit_gbt_rounds(train, k)
    rows.append(("gbt (31 leaves)", ap(y[val], g_sub(val)), ap(y[test], g_all(test)), f"{k} rounds"))
    for depth in [2, 3, 4, 6]:
        p = params(max_depth=depth)
        lg_sub, k = fit_lin_gbt(sub, val, p)
        b, _ = boost(p, train, lr_all(train), rounds=k)
        t = ap(y[test], raw(b, k, test, lr_all(test)))
        rows.append((f"lin+gbt (depth {depth})", ap(y[val], lg_sub(val)), t, f"{k} rounds"))
    for name, v, t, note in rows:
        print(f"  {name:22s} validation {v:.4f}  test {t:.4f}  {note}")


def fit_gbt_rounds(rows, k):
    b, _ = boost(GBT, rows, rounds=k)
    return (lambda r: raw(b, k, r)), k


def validation_variants():
    train, _, _, _ = splits("chronological")
    print("chronological: validation PR-AUC of logreg / gbt on other validation slices (winner in caps)")
    for vf in [0.1, 0.15, 0.2, 0.25, 0.3, 0.4]:
        sub, val = tail(train, vf)
        lr, _ = fit_logreg(sub)
        g, _ = fit_gbt(sub, val)
        cells, gbt_wins = [], []
        for label, part in [("whole", 1), ("last 1/2", 2), ("last 1/3", 3), ("last 1/4", 4)]:
            s = val[len(val) - len(val) // part:]
            a, b = ap(y[s], lr(s)), ap(y[s], g(s))
            gbt_wins.append(b > a)
            cells.append(f"{label} {a:.3f}/{b:.3f} {'LOGREG' if a > b else 'GBT'}")
        # leadlift's rule: the trees must win on the whole slice and on its most recent half.
        both = "GBT" if gbt_wins[0] and gbt_wins[1] else "LOGREG"
        print(f"  fraction {vf:<4}: " + " | ".join(cells) + f" || whole and last 1/2: {both}")


def forward_chaining():
    train, _, _, _ = splits("chronological")
    m = len(train)
    print("chronological: forward-chaining folds inside the training rows (k folds of m/(k+1) rows), mean PR-AUC")
    for k in [2, 3, 4, 5]:
        size = m // (k + 1)
        means = {}
        for name, fitter in [("logreg", fit_logreg), ("gbt", fit_gbt),
                             ("lin+gbt", lambda r, v: fit_lin_gbt(r, v, params(max_depth=3)))]:
            vals = []
            for i in range(1, k + 1):
                a = m - (k + 1 - i) * size
                r, v = train[:a], train[a:a + size]
                f, _ = fitter(r, v)
                vals.append(ap(y[v], f(v)))
            means[name] = np.mean(vals)
        best = max(means, key=means.get)
        print(f"  k={k}: " + "  ".join(f"{nm} {v:.4f}" for nm, v in means.items()) + f"  -> {best}")


def bootstrap():
    rng = np.random.default_rng(0)
    print("validation PR-AUC difference gbt - logreg, paired bootstrap (300 resamples)")
    for kind in ["chronological", "random"]:
        _, _, sub, val = splits(kind)
        lr, _ = fit_logreg(sub)
        g, _ = fit_gbt(sub, val)
        yv, a, b, nv = y[val], lr(val), g(val), len(val)
        iid, block = [], []
        for _ in range(300):
            s = rng.integers(0, nv, nv)
            iid.append(ap(yv[s], b[s]) - ap(yv[s], a[s]))
            starts = rng.integers(0, nv - 200, nv // 200 + 1)
            s = np.concatenate([np.arange(t, t + 200) for t in starts])[:nv]
            block.append(ap(yv[s], b[s]) - ap(yv[s], a[s]))
        q = lambda d: f"[{np.percentile(d, 2.5):+.4f}, {np.percentile(d, 97.5):+.4f}]"  # noqa: E731
        print(f"  {kind}: {ap(yv, b) - ap(yv, a):+.4f}; 95% iid {q(iid)}; blocks of 200 rows {q(block)}")


if __name__ == "__main__":
    print(f"xgboost {xgb.__version__}, one thread, seed 0; {n} rows, duration dropped")
    candidates_on("chronological")
    candidates_on("random")
    validation_variants()
    forward_chaining()
    bootstrap()
