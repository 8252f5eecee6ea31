"""Train the local screen's model of meaning (lib/safety/data/intent_model.json) from our data.

    .venv/bin/python scripts/train_safety_model.py

Reads only the *tune* prompts (tests/data/redteam_tune.txt, labelled; benign_tune.txt and the older
benign_prompts.txt, safe); the held-out files are never read here. Features: wordllama embeddings
of the folded prompt (weights inside the wheel). Model: multinomial logistic regression
(scikit-learn, a development tool only: the app needs numpy alone to apply the weights). The
threshold on the chance of "safe" is chosen by 5-fold cross-validation on the tune prompts so that
at most 1.5% of the classroom prompts the word screen lets through are refused. Deterministic:
the same data give the same file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.safety.intent import MODEL_FILE, SAFE, features, load_embedder  # noqa: E402
from lib.safety.screen import PromptScreen  # noqa: E402

DATA = ROOT / "tests" / "data"
TARGET_FALSE_POSITIVES = 0.015
SKIP = {"rude"}  # the swear-word list's job, not the model's


def read(name: str, *, labelled: bool) -> list[tuple[str, str]]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, text = line.partition("\t") if labelled else (SAFE, "", line)
        if label not in SKIP:
            out.append((label.strip(), text.strip()))
    return out


def main() -> None:
    items = read("redteam_tune.txt", labelled=True) + read("benign_tune.txt", labelled=False)
    items += read("benign_prompts.txt", labelled=False)
    labels = sorted({label for label, _ in items})
    y = np.array([labels.index(label) for label, _ in items])
    embedder = load_embedder()
    reader = PromptScreen(())
    x = features(embedder, [reader.model_text(text) for _, text in items])
    safe = labels.index(SAFE)

    def fit(xs: np.ndarray, ys: np.ndarray) -> LogisticRegression:
        return LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced").fit(xs, ys)

    # Out-of-fold chances of "safe", to choose the threshold honestly.
    p_safe = np.zeros(len(items))
    for train, test in StratifiedKFold(n_splits=5, shuffle=True, random_state=13).split(x, y):
        model = fit(x[train], y[train])
        p_safe[test] = model.predict_proba(x[test])[:, list(model.classes_).index(safe)]
    benign = np.sort(p_safe[y == safe])
    threshold = float(benign[int(np.floor(TARGET_FALSE_POSITIVES * len(benign)))])
    caught = float(np.mean(p_safe[y != safe] < threshold))
    print(f"{len(items)} prompts, {len(labels)} labels; threshold {threshold:.3f}: "
          f"cross-validated {caught:.1%} of unsafe refused by the model alone, "
          f"{np.mean(benign < threshold):.1%} of classroom prompts")  # fmt: skip

    model = fit(x, y)
    out = {
        "labels": labels,
        "weights": [[round(float(w), 4) for w in row] for row in model.coef_],
        "bias": [round(float(b), 5) for b in model.intercept_],
        "threshold": round(threshold, 4),
        "trained_on": len(items),
    }
    path = ROOT / "lib" / "safety" / MODEL_FILE
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
