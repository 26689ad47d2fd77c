"""Rate limits for the chat API: a sliding minute per conversation and per address.

Kept in memory: each replica limits what reaches it. Enough against a script hammering
the chat; a shared limit across replicas belongs in front of them (the proxy).
"""

import time
from collections import defaultdict, deque
from typing import Deque, Dict


class RateLimiter:
    def __init__(self, per_minute: int, clock=time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.seen: Dict[str, Deque[float]] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        now = self.clock()
        times = self.seen[key]
        while times and times[0] <= now - 60:
            times.popleft()
        if len(times) >= self.per_minute:
            return False
        times.append(now)
        if len(self.seen) > 100_000:  # forget idle keys rather than grow without end
            for stale in [k for k, v in self.seen.items() if not v or v[-1] <= now - 60]:
                del self.seen[stale]
        return True
