"""Peer measurement for `npm run bench:real` (src/bench/real.ts): fits scikit-learn's
HistGradientBoostingClassifier and LogisticRegression on the exact matrices and splits
leadlift used (written by the bench to a temporary folder) and prints one JSON object.

Usage: python3 scripts/golden/bank_sklearn.py <folder> [timing runs, default 3]
The 100-round HistGradientBoosting is timed at the default OpenMP thread count and with
one thread (on a shared machine OpenMP threads can be much slower), each the fastest of
the timing runs.
"sklearn logreg" preprocesses as leadlift's logistic regression does: a ColumnTransformer
standardizing the numeric columns and passing the one-hot indicators through as 0/1 (the
common practice); "sklearn logreg (all standardized)" also standardizes the indicators.
The folder holds meta.json (row count, column names, split indices), ord.f64 and
onehot.f64 (column-major float64) and y.u8.
"""
import json
import os
import sys
import time

import numpy as np
import sklearn
from threadpoolctl import threadpool_limits
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def load(folder, name, n_cols, n_rows):
    a = np.fromfile(os.path.join(folder, name), dtype=np.float64)
    return np.ascontiguousarray(a.reshape(n_cols, n_rows).T)


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    n = meta["nRows"]
    x_ord = load(folder, "ord.f64", len(meta["ordNames"]), n)
    x_hot = load(folder, "onehot.f64", len(meta["oneHotNames"]), n)
    y = np.fromfile(os.path.join(folder, "y.u8"), dtype=np.uint8)
    # One-hot columns are named "feature=value"; the others are numeric.
    numeric = [j for j, name in enumerate(meta["oneHotNames"]) if "=" not in name]
    indicators = [j for j, name in enumerate(meta["oneHotNames"]) if "=" in name]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    hgb100 = lambda: HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=0)  # noqa: E731
    # name: (factory, matrix, timing runs, thread limit)
    models = {
        "sklearn HGB (defaults)": (lambda: HistGradientBoostingClassifier(random_state=0), x_ord, 1, None),
        "sklearn HGB (100 rounds, no ES)": (hgb100, x_ord, runs, None),
        "sklearn HGB (100 rounds, no ES, 1 thread)": (hgb100, x_ord, runs, 1),
        "sklearn logreg": (
            lambda: make_pipeline(
                ColumnTransformer([("num", StandardScaler(), numeric), ("ind", "passthrough", indicators)]),
                LogisticRegression(C=1.0, max_iter=1000),
            ),
            x_hot,
            1,
            None,
        ),
        "sklearn logreg (all standardized)": (
            lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)),
            x_hot,
            1,
            None,
        ),
    }
    results = []
    for split, idx in meta["splits"].items():
        train = np.array(idx["train"])
        test = np.array(idx["test"])
        for name, (make, x, n_runs, threads) in models.items():
            seconds = float("inf")
            with threadpool_limits(limits=threads):
                for _ in range(n_runs):
                    model = make()
                    t0 = time.perf_counter()
                    model.fit(x[train], y[train])
                    seconds = min(seconds, time.perf_counter() - t0)
            p = model.predict_proba(x[test])[:, 1]
            results.append(
                {
                    "model": name,
                    "split": split,
                    "prAuc": float(average_precision_score(y[test], p)),
                    "rocAuc": float(roc_auc_score(y[test], p)),
                    "brier": float(brier_score_loss(y[test], p)),
                    "fitSeconds": seconds,
                }
            )
    print(json.dumps({"sklearn": sklearn.__version__, "threads": os.cpu_count(), "results": results}))


if __name__ == "__main__":
    main()
