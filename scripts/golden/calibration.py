"""Golden values for src/models/calibration: scikit-learn's IsotonicRegression
(out_of_bounds='clip') predictions and Platt's sigmoid parameters
(sklearn.calibration._sigmoid_calibration, plus the same objective minimized to
convergence with scipy), on seeded synthetic scores with ties.

Run: /usr/bin/python3 scripts/golden/calibration.py  (Debian python3-sklearn)
Writes src/models/golden/calibration.json.
"""
import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import expit, xlogy
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression

from _common import floats, ints, provenance, write

SEED = 4242


def platt_tight(f, y):
    prior1 = float(np.sum(y > 0))
    prior0 = y.shape[0] - prior1
    t = np.where(y > 0, (prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0))

    def objective(ab):
        p = expit(-(ab[0] * f + ab[1]))
        return -(xlogy(t, p) + xlogy(1.0 - t, 1.0 - p)).sum()

    def grad(ab):
        p = expit(-(ab[0] * f + ab[1]))
        d = t - p
        return np.array([np.dot(d, f), np.sum(d)])

    ab0 = np.array([0.0, np.log((prior0 + 1.0) / (prior1 + 1.0))])
    res = minimize(objective, ab0, jac=grad, method="BFGS", options={"gtol": 1e-12, "maxiter": 10000})
    return res.x


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    for name, n, decimals in [("continuous", 300, None), ("ties", 250, 1)]:
        y = (rng.random(n) < 0.3).astype(np.uint8)
        raw = rng.normal(size=n) + 1.5 * y - 1.0
        if decimals is not None:
            raw = np.round(raw, decimals)
        probes = np.concatenate([np.linspace(raw.min() - 1, raw.max() + 1, 41), raw[:20]])
        iso = IsotonicRegression(out_of_bounds="clip").fit(raw, y)
        a, b = _sigmoid_calibration(raw, y)
        at, bt = platt_tight(raw, y)
        cases.append(
            {
                "name": name,
                "raw": floats(raw),
                "y": ints(y),
                "probes": floats(probes),
                "isotonic": floats(iso.predict(probes)),
                "platt": {"a": float(a), "b": float(b)},
                "plattConverged": {"a": float(at), "b": float(bt)},
            }
        )
    payload = {**provenance("calibration.py", SEED), "scipy": scipy.__version__, "cases": cases}
    write("src/models/golden/calibration.json", payload)


if __name__ == "__main__":
    main()
