"""Crash test, short form of bench/crash.py: reports cases under load, kills the server with
SIGKILL three times, restarts it, and checks that every answered report is stored with its
fields, that no number was given twice, that keyed retries name the first case and that the
database passes its integrity check. Then it shows that the checks can fail: they must notice
doctored acknowledgements, and a data directory rolled back after a kill (answered reports
that were never made durable)."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.environ.get("CITYOPS_SOURCE_DIR") or
                                os.path.join(HERE, "..", ".."), "bench"))
from cityops_server import Checks, binary  # noqa: E402
import crash  # noqa: E402

t = Checks()
cityops = binary()


def indented(line):
    print("  " + line)


result = crash.run(cityops, kills=3, threads=8, min_delay=0.3, max_delay=1.5, check_every=2,
                   full_every=3, sample=50, self_test=True, log=print)
print(crash.summary(result))
led = result.ledger
t.check(len(result.rounds) == 3, f"three kill and restart rounds ran ({len(result.rounds)})")
t.check(len(led.acked) > 0, f"reports were answered before the kills ({len(led.acked)})")
t.check(not led.failures, f"no lost, changed or doubled case ({len(led.failures)} failures)")
t.check(all(r["verified"] > 0 for r in result.rounds), "cases were read after every restart")

# The same verification on a data directory rolled back to the previous kill must fail: the
# cases answered in the last round are gone and their numbers are given again.
print("rolled-back data directory (the checks must fail):")
lost = crash.run(cityops, kills=2, threads=4, min_delay=0.5, max_delay=1.0, check_every=0,
                 sample=20, inject_loss=True, log=indented)
kinds = {kind for kind, _ in lost.failures}
print(f"  {len(lost.failures)} failures reported, of kinds {sorted(kinds)}")
t.check(len(lost.ledger.acked) > 0, "reports were answered in the rolled-back run")
t.check("missing" in kinds, f"lost acknowledged cases are reported as missing: {sorted(kinds)}")
t.finish()
