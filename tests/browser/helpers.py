"""What browser tests share beyond fixtures."""


def wait_until_still(page) -> None:
    """Wait for running CSS transitions and animations (a map zooming, a popup fading in) to
    end: a click or a contrast check in the middle of one sees a moving or half-drawn page."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    page.wait_for_timeout(100)  # Leaflet's zoom ends on a timer, after the transition
