"""The scheduler that runs crawls and alert delivery unattended (APScheduler 3.x).

Not built yet: until then, run `newswatch crawl` from cron or a systemd timer (see README.md).
"""

from __future__ import annotations

import sys


def main() -> int:
    print(
        "newswatch: the scheduler is not built yet; run 'newswatch crawl' from cron for now.",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
