"""Golden values of src/recommend/stats.ts: Wilson intervals, Benjamini–Hochberg,
the pooled two-proportion z-test (statsmodels proportions_ztest),
two-proportion sample sizes (statsmodels NormalIndPower + proportion_effectsize, and the
pooled-variance formula), the normal CDF/quantile and the chi-square SRM test (scipy).

Run: /usr/bin/python3 scripts/golden/recommend_stats.py  (Debian python3-statsmodels, python3-scipy)
"""
import platform

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_confint, proportion_effectsize, proportions_ztest

from _common import write

SEED = 20261202
rng = np.random.default_rng(SEED)

wilson = []
for k, n in [(0, 10), (10, 10), (5, 20), (258, 1823), (447, 1846), (1, 1000), (37, 200)]:
    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    wilson.append({"k": k, "n": n, "lower": float(lo), "upper": float(hi)})

pvals = [float(x) for x in rng.uniform(0, 0.2, size=12)] + [1e-8, 0.04, 0.04, 0.5]
bh = [float(x) for x in multipletests(pvals, method="fdr_bh")[1]]

sizes = []
for p1, p2 in [(0.242, 0.142), (0.155, 0.105), (0.20, 0.18), (0.05, 0.06), (0.5, 0.55), (0.01, 0.02)]:
    h = proportion_effectsize(p1, p2)
    n = NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8, ratio=1.0, alternative="two-sided")
    za = stats.norm.ppf(0.975)
    zb = stats.norm.ppf(0.8)
    pbar = (p1 + p2) / 2
    pooled = (za * np.sqrt(2 * pbar * (1 - pbar)) + zb * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (p1 - p2) ** 2
    sizes.append({"p1": p1, "p2": p2, "h": float(h), "arcsine": float(n), "pooled": float(pooled)})

ztests = []
for k1, n1, k2, n2 in [(36, 80, 410, 1000), (12, 300, 40, 300), (258, 1823, 447, 1846), (5, 20, 1, 25), (0, 50, 3, 60)]:
    z, _ = proportions_ztest([k1, k2], [n1, n2])
    ztests.append({"k1": k1, "n1": n1, "k2": k2, "n2": n2, "z": float(z)})

xs = [-8.0, -5.0, -3.0, -1.96, -1.0, -0.3, 0.0, 0.25, 0.49, 0.51, 1.0, 2.5, 6.0]
cdf = [{"x": x, "cdf": float(stats.norm.cdf(x))} for x in xs]
ps = [1e-10, 1e-4, 0.01, 0.02425, 0.1, 0.5, 0.8, 0.975, 0.999]
quant = [{"p": p, "q": float(stats.norm.ppf(p))} for p in ps]

srm = []
for obs, shares in [([5000, 5100], [0.5, 0.5]), ([1000, 1200], [0.5, 0.5]), ([900, 100], [0.9, 0.1]), ([330, 340, 360], [1, 1, 1])]:
    exp = np.array(shares) / np.sum(shares) * np.sum(obs)
    r = stats.chisquare(obs, exp)
    srm.append({"observed": obs, "shares": shares, "statistic": float(r.statistic), "p": float(r.pvalue)})

write(
    "src/recommend/golden/stats.json",
    {
        "provenance": {
            "tool": "statsmodels + scipy",
            "version": f"statsmodels {statsmodels.__version__}, scipy {scipy.__version__}",
            "numpy": np.__version__,
            "python": platform.python_version(),
            "seed": SEED,
            "script": "scripts/golden/recommend_stats.py",
        },
        "wilson": wilson,
        "bh": {"p": pvals, "q": bh},
        "sample_sizes": sizes,
        "normal_cdf": cdf,
        "normal_quantile": quant,
        "srm": srm,
        "two_proportion_z": ztests,
    },
)
