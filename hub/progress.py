"""Progress reporting for long work: a bar on the command line."""

from tqdm import tqdm


def terminal_progress(stream):
    """A `Progress` callable drawing a tqdm bar on `stream` (a command's stderr)."""

    def progress(iterable, description="", total=None):
        return tqdm(iterable, desc=description, total=total, file=stream, leave=False)

    return progress
