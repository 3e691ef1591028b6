"""Progress reporting for long work: a bar on the command line, or a background job's state."""

import threading

from tqdm import tqdm


def terminal_progress(stream):
    """A `Progress` callable drawing a tqdm bar on `stream` (a command's stderr)."""

    def progress(iterable, description="", total=None):
        return tqdm(iterable, desc=description, total=total, file=stream, leave=False)

    return progress


class JobProgress:
    """Progress of a background job, kept in memory: importers call it like
    `terminal_progress` (wrapping what they iterate), other work calls `step`. `hub.jobs`
    writes it to the job from its heartbeat thread, on a connection of its own, so the waiting
    page sees it even while the work runs inside one long transaction."""

    def __init__(self):
        self._lock = threading.Lock()
        self.done, self.total, self.label = 0, None, ""
        self.version = 0

    def step(self, done: int, total: int | None = None, label: str | None = None) -> None:
        with self._lock:
            self.done, self.total = done, total
            if label is not None:
                self.label = label[:200]
            self.version += 1

    def snapshot(self) -> tuple[int, int | None, str, int]:
        with self._lock:
            return self.done, self.total, self.label, self.version

    def __call__(self, iterable, description="", total=None):
        if total is None and hasattr(iterable, "__len__"):
            total = len(iterable)
        self.step(0, total, description)
        for count, item in enumerate(iterable, start=1):
            yield item
            with self._lock:
                self.done = count
                self.version += 1
