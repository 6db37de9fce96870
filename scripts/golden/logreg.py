"""Golden values for src/models/logreg: scikit-learn's LogisticRegression(C, penalty='l2',
solver='lbfgs') coefficients on seeded synthetic data preprocessed as leadlift does: a
ColumnTransformer that standardizes the numeric columns (StandardScaler) and passes 0/1
indicator columns (one-hot, flags) through unscaled. Indicator columns come last in each
case (`indicators` counts them), so the ColumnTransformer keeps the column order; the
intercept is scikit-learn's, on the uncentered indicators.

Each case records the coefficients at scikit-learn's defaults (tol=1e-4), with
tol=1e-12 (lbfgs then stops on its ftol with a gradient of ~1e-4), and the exact optimum
of the same objective: scikit-learn's tight solution polished by numpy Newton steps until
the gradient's max norm is below 1e-11 (recorded). leadlift's Newton solver must match the
optimum tightly and scikit-learn's fits within their own gradient tolerance.

Run: /usr/bin/python3 scripts/golden/logreg.py  (Debian python3-sklearn)
Writes src/models/golden/logreg.json.
"""
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from _common import floats, ints, provenance, write

SEED = 7301


def make_case(rng, n, p, scale_spread, signal, levels):
    x = rng.normal(size=(n, p))
    x[:, 1] = 0.6 * x[:, 0] + 0.8 * x[:, 1]  # correlated pair
    x *= np.logspace(0, scale_spread, p)  # very different scales
    x[:, -1] = np.round(x[:, -1])  # a discrete column (ties)
    beta = rng.normal(size=p) * signal / np.logspace(0, scale_spread, p)
    logits = x @ beta - 1.0
    if levels > 0:
        # A categorical with unequal level frequencies, one-hot (every level, as OneHotEncoder),
        # and a rare 0/1 flag: indicators, kept unscaled.
        cat = rng.choice(levels, size=n, p=np.arange(1, levels + 1) / (levels * (levels + 1) / 2))
        hot = OneHotEncoder(sparse_output=False).fit_transform(cat.reshape(-1, 1))
        flag = (rng.random(n) < 0.1).astype(float)
        logits = logits + hot @ rng.normal(size=levels) + 1.5 * flag
        x = np.c_[x, hot, flag]
    y = (rng.random(n) < 1 / (1 + np.exp(-logits))).astype(np.uint8)
    return x, y


def preprocess(x, n_indicators):
    """StandardScaler on the numeric columns, indicators passed through (column order kept)."""
    p = x.shape[1] - n_indicators
    ct = ColumnTransformer(
        [("num", StandardScaler(), list(range(p))), ("ind", "passthrough", list(range(p, x.shape[1])))]
    )
    return ct.fit_transform(x)


def objective_grad_hess(z, y, c, w, b):
    p = 1 / (1 + np.exp(-(z @ w + b)))
    g = np.r_[c * z.T @ (p - y) + w, c * np.sum(p - y)]
    zz = np.c_[z, np.ones(len(y))]
    h = c * (zz.T * (p * (1 - p))) @ zz
    h[:-1, :-1] += np.eye(z.shape[1])
    return g, h


def newton_polish(z, y, c, w, b):
    theta = np.r_[w, b]
    for _ in range(50):
        g, h = objective_grad_hess(z, y, c, theta[:-1], theta[-1])
        if np.abs(g).max() < 1e-11:
            break
        theta = theta - np.linalg.solve(h, g)
    g, _ = objective_grad_hess(z, y, c, theta[:-1], theta[-1])
    return theta[:-1], theta[-1], float(np.abs(g).max())


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    for name, n, p, spread, signal, c, levels in [
        ("moderate", 400, 6, 3, 1.0, 1.0, 0),
        ("strong-regularization", 150, 5, 2, 1.5, 0.05, 0),
        ("near-separable", 200, 4, 1, 6.0, 1.0, 0),
        ("one-hot-and-flag", 500, 3, 2, 1.0, 1.0, 4),
        ("one-hot-strong-regularization", 300, 3, 2, 1.0, 0.1, 4),
    ]:
        x, y = make_case(rng, n, p, spread, signal, levels)
        n_ind = levels + 1 if levels > 0 else 0
        z = preprocess(x, n_ind)
        tight = LogisticRegression(C=c, penalty="l2", solver="lbfgs", tol=1e-12, max_iter=100000).fit(z, y)
        default = LogisticRegression(C=c, penalty="l2", solver="lbfgs").fit(z, y)
        w_opt, b_opt, g_opt = newton_polish(z, y.astype(float), c, tight.coef_[0], tight.intercept_[0])
        g_tight, _ = objective_grad_hess(z, y, c, tight.coef_[0], tight.intercept_[0])
        cases.append(
            {
                "name": name,
                "c": c,
                "indicators": n_ind,
                "columns": [floats(x[:, j]) for j in range(x.shape[1])],
                "y": ints(y),
                "optimum": {"coef": floats(w_opt), "intercept": float(b_opt), "gradMaxNorm": g_opt},
                "tight": {
                    "coef": floats(tight.coef_),
                    "intercept": float(tight.intercept_[0]),
                    "gradMaxNorm": float(np.abs(g_tight).max()),
                },
                "default": {"coef": floats(default.coef_), "intercept": float(default.intercept_[0])},
                "probaFirst10": floats(1 / (1 + np.exp(-(z[:10] @ w_opt + b_opt)))),
            }
        )
    write("src/models/golden/logreg.json", {**provenance("logreg.py", SEED), "cases": cases})


if __name__ == "__main__":
    main()
