/**
 * When the browser has put the first render on screen: after the next animation frame has been
 * produced. A page that gets no frames (hidden) must not wait for ever, so a timer also ends
 * the wait.
 */
export function afterNextPaint(
  win: Pick<Window, 'requestAnimationFrame' | 'cancelAnimationFrame'> = window,
  fallbackMs = 100,
): Promise<void> {
  return new Promise((resolve) => {
    let frame = 0;
    const done = () => {
      clearTimeout(fallback);
      win.cancelAnimationFrame(frame);
      resolve();
    };
    const fallback = setTimeout(done, fallbackMs);
    // The animation frame callback runs before that frame's paint; a task queued from it runs
    // after the frame was handed to the compositor.
    frame = win.requestAnimationFrame(() => setTimeout(done, 0));
  });
}
