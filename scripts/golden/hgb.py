"""Reference for src/models/gbt: scikit-learn's HistGradientBoostingClassifier on a
seeded synthetic problem (interaction, step, missing values that carry signal, noise
features), with parameters matching leadlift's GBT defaults (LightGBM's): 100 rounds,
learning rate 0.1, 31 leaves, 20 rows per leaf, no L2, 255 bins, no early stopping.

The data (rounded to 4 decimals, so both tools see the same values) and sklearn's test
ROC-AUC, average precision and log loss are stored; leadlift's test asserts its ROC-AUC is
close to sklearn's.

Run: /usr/bin/python3 scripts/golden/hgb.py  (Debian python3-sklearn)
Writes src/models/golden/hgb.json.
"""
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score

from _common import floats, ints, provenance, write

SEED = 1234
N_TRAIN = 2000
N_TEST = 2000


def make(rng, n):
    a = rng.normal(size=n)
    b = rng.normal(size=n)
    c = rng.integers(0, 6, size=n).astype(float)
    d = rng.normal(size=n)
    e = rng.exponential(size=n)
    b_missing = rng.random(n) < 0.15
    e_missing = rng.random(n) < 0.25
    logit = 1.1 * a + 0.9 * np.where(c >= 3, b, -b) + 0.7 * (d > 0.5) - 0.6 * b_missing + 0.3 * e - 1.6
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.uint8)
    noise = rng.normal(size=n)
    x = np.column_stack([a, b, c, d, e, noise]).round(4)
    x[b_missing, 1] = np.nan
    x[e_missing, 4] = np.nan
    return x, y


def main():
    rng = np.random.default_rng(SEED)
    x_train, y_train = make(rng, N_TRAIN)
    x_test, y_test = make(rng, N_TEST)
    params = dict(
        learning_rate=0.1,
        max_iter=100,
        max_leaf_nodes=31,
        max_depth=None,
        min_samples_leaf=20,
        l2_regularization=0.0,
        max_bins=255,
        early_stopping=False,
        random_state=0,
    )
    model = HistGradientBoostingClassifier(**params).fit(x_train, y_train)
    p = model.predict_proba(x_test)[:, 1]
    payload = {
        **provenance("hgb.py", SEED),
        "estimator": "HistGradientBoostingClassifier",
        "sklearnParams": params,
        "leadliftParams": {
            "numIterations": 100,
            "learningRate": 0.1,
            "numLeaves": 31,
            "minDataInLeaf": 20,
            "lambdaL2": 0,
            "maxBin": 255,
        },
        "names": ["a", "b", "c", "d", "e", "noise"],
        "train": {"columns": [floats(x_train[:, j]) for j in range(x_train.shape[1])], "y": ints(y_train)},
        "test": {"columns": [floats(x_test[:, j]) for j in range(x_test.shape[1])], "y": ints(y_test)},
        "sklearn": {
            "rocAuc": float(roc_auc_score(y_test, p)),
            "averagePrecision": float(average_precision_score(y_test, p)),
            "logLoss": float(log_loss(y_test, p)),
        },
    }
    write("src/models/golden/hgb.json", payload)


if __name__ == "__main__":
    main()
