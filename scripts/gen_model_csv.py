#!/usr/bin/env python3
"""Writes a synthetic repayment table for the scoring benchmark:
gen_model_csv.py ROWS OUT.csv. The target `paid` follows a known logistic
model of the columns; one row in five is marked `test` in `split`."""
import math
import random
import sys

rows, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(1)
products = ["cash", "card", "consumer", "auto"]
effect = {"cash": 0.0, "card": 0.3, "consumer": -0.2, "auto": 0.5}
with open(out, "w") as f:
    f.write("dpd,pay_ratio,days_since_payment,promises_kept,income,product,split,paid\n")
    for i in range(rows):
        dpd = rng.randint(1, 180)
        ratio = rng.random()
        since = rng.randint(0, 120)
        kept = rng.randint(0, 4)
        income = rng.randint(2000, 30000)
        product = rng.choice(products)
        z = 0.8 - 0.015 * dpd + 1.2 * ratio - 0.01 * since + 0.25 * kept + 0.00003 * income + effect[product]
        paid = 1 if rng.random() < 1 / (1 + math.exp(-z)) else 0
        inc = "" if rng.random() < 0.05 else str(income)
        split = "test" if i % 5 == 4 else "train"
        f.write(f"{dpd},{ratio:.4f},{since},{kept},{inc},{product},{split},{paid}\n")
