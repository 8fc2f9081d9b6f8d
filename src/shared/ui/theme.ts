/**
 * Reclaim's look, shared by the in-page controls (inside shadow roots) and the extension pages.
 * Plain CSS custom properties, light and dark.
 */
export const themeCss = `
:host, :root {
  --rc-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --rc-fg: #1b1f24;
  --rc-muted: #57606a;
  --rc-bg: #ffffff;
  --rc-surface: #f6f8fa;
  --rc-border: #d0d7de;
  --rc-accent: #0b6e66;
  --rc-accent-fg: #ffffff;
  --rc-danger: #b42318;
  --rc-danger-bg: #fef3f2;
  --rc-warn: #8a4b00;
  --rc-warn-bg: #fff4e5;
  --rc-ok: #1a7f37;
  --rc-ok-bg: #eefbf1;
  --rc-focus: #0969da;
  --rc-radius: 6px;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :host, :root {
    --rc-fg: #e6edf3;
    --rc-muted: #9da7b3;
    --rc-bg: #0d1117;
    --rc-surface: #161b22;
    --rc-border: #30363d;
    --rc-accent: #2fb8ab;
    --rc-accent-fg: #04201d;
    --rc-danger: #ff8a80;
    --rc-danger-bg: #2d1517;
    --rc-warn: #f0b45a;
    --rc-warn-bg: #2b2111;
    --rc-ok: #56d364;
    --rc-ok-bg: #10261a;
    --rc-focus: #58a6ff;
  }
}
`;
