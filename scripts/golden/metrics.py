"""Golden values for src/evaluate: scikit-learn's average_precision_score,
roc_auc_score, brier_score_loss, log_loss and calibration_curve on small seeded
synthetic cases, ties and probabilities on bin edges included.

Run: /usr/bin/python3 scripts/golden/metrics.py  (Debian python3-sklearn)
Writes src/evaluate/golden/metrics.json.
"""
import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

from _common import floats, ints, provenance, write

SEED = 20240603


def make_cases(rng):
    cases = []
    # Continuous probabilities, moderate imbalance.
    n = 300
    y = (rng.random(n) < 0.3).astype(np.uint8)
    p = 1 / (1 + np.exp(-(rng.normal(size=n) + 1.2 * y - 0.8)))
    cases.append(("continuous", y, p))
    # Heavy ties: probabilities rounded to one decimal (bin edges included).
    n = 200
    y = (rng.random(n) < 0.4).astype(np.uint8)
    p = np.clip(np.round(0.35 + 0.25 * y + rng.normal(scale=0.2, size=n), 1), 0, 1)
    cases.append(("ties", y, p))
    # Exactly on uniform bin edges (linspace values, 0 and 1 too).
    edges = np.linspace(0.0, 1.0, 6)
    p = np.tile(np.concatenate([edges, np.linspace(0.0, 1.0, 11)]), 4)
    y = (rng.random(p.size) < p).astype(np.uint8)
    cases.append(("edges", y, p))
    # Rare positives (3%), few distinct scores.
    n = 500
    y = (rng.random(n) < 0.03).astype(np.uint8)
    y[:2] = 1
    p = np.round(np.clip(0.02 + 0.1 * y * rng.random(n) + 0.05 * rng.random(n), 0, 1), 2)
    cases.append(("rare", y, p))
    return cases


def main():
    rng = np.random.default_rng(SEED)
    out = []
    for name, y, p in make_cases(rng):
        curves = {}
        for n_bins in (5, 10):
            prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
            curves[str(n_bins)] = {"probTrue": floats(prob_true), "probPred": floats(prob_pred)}
        out.append(
            {
                "name": name,
                "yTrue": ints(y),
                "scores": floats(p),
                "averagePrecision": float(average_precision_score(y, p)),
                "rocAuc": float(roc_auc_score(y, p)),
                "brierScore": float(brier_score_loss(y, p)),
                "logLoss": float(log_loss(y, p, eps=1e-15)),
                "calibrationCurve": curves,
            }
        )
    write("src/evaluate/golden/metrics.json", {**provenance("metrics.py", SEED), "cases": out})


if __name__ == "__main__":
    main()
