"""Golden values for src/numeric/numpy-random.ts: numpy's legacy RandomState(seed)
permutations and scikit-learn's train_test_split(stratify=y, random_state=seed) on seeded
binary labels, so leadlift's copy of that split is checked without Python at test time.

Run: /usr/bin/python3 scripts/golden/split.py  (Debian python3-sklearn)
Writes src/numeric/golden/split.json.
"""
import numpy as np
from sklearn.model_selection import train_test_split

from _common import ints, provenance, write

SEED = 42


def main():
    gen = np.random.default_rng(SEED)
    cases = []
    for n, rate, test_size, seed in [(1000, 0.11, 0.2, 42), (257, 0.5, 0.25, 3), (3001, 0.3, 0.2, 0)]:
        y = (gen.random(n) < rate).astype(np.uint8)
        _, test = train_test_split(np.arange(n), test_size=test_size, stratify=y, random_state=seed)
        cases.append({"y": ints(y), "testSize": test_size, "seed": seed, "test": ints(np.sort(test))})
    payload = {
        **provenance("split.py", SEED),
        "permutations": [
            {"seed": 7, "n": 20, "permutation": ints(np.random.RandomState(7).permutation(20))},
            {"seed": 42, "n": 1000, "permutation": ints(np.random.RandomState(42).permutation(1000))},
        ],
        "cases": cases,
    }
    write("src/numeric/golden/split.json", payload)


if __name__ == "__main__":
    main()
