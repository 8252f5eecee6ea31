"""Wrote tests/data/legacy_data_dir with the code on main at 911b645 (before lib/store), for the migration test.

Run from the repository root on that commit: PYTHONPATH=. python tests/data/make_legacy_data_dir.py tests/data/legacy_data_dir
"""
import sys, shutil, time
from pathlib import Path
from lib.engines.storybook import StorybookEngine
from lib.engines.base import GenerateRequest
from lib.history import History
from lib import roster, audit
from lib.rules import TeacherRules, save_rules
from lib.safety.ratelimit import RateLimiter

out = Path(sys.argv[1]); shutil.rmtree(out, ignore_errors=True); out.mkdir(parents=True)
h = History(out)
eng = StorybookEngine()
owners = ["legacyOwnerAAAA1111", "legacyOwnerBBBB2222"]
prompts = ["a cat on the moon", "Dog next to Eiffel Tower in early morning sunlight", "a dragon in the rain"]
ids = {}
for i, owner in enumerate(owners):
    for j, p in enumerate(prompts[: 2 + i]):
        img = eng.generate(GenerateRequest(prompt=p, model=eng.models()[0], size="256x256", n=1, seed=100 + j, temperature=0.5, student_prompt=p))[0]
        ids.setdefault(owner, []).append(h.save(img, owner=owner, page="create" if j else "compare"))
save_rules(out, TeacherRules(disallow=("castle", "weapons"), max_images_per_hour=7, metaprompt="Be kind. {disallow}"))
roster.set_name(out, owners[0], "Ada")
roster.set_name(out, owners[1], "Kwame")
audit.record(out, owner=owners[0], stage="prompt screen", category="weapons", prompt="a big gun", detail="gun")
audit.record(out, owner=owners[1], stage="rate limit", category="rate limit", prompt="", detail="5 used")
rl = RateLimiter(out / "rate_limits.json"); rl.take(owners[0], 3, 30)
print(ids)
