// The annotate benchmark's floor: what any extension must do at least to give every row of a
// re-rendered invite table a control, synchronously from its MutationObserver (before paint),
// from an isolated world: read the row's invite id and status, find its last cell, and move in
// one prebuilt shadow host (a countdown text and a button; no state, no cache, no timers).
// Plain JavaScript, loaded as is by the benchmark; it is not part of Reclaim.
(() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(':host{display:inline-flex;gap:.5em;margin-inline-start:.5em}.note{color:#555}');
  const hosts = new Map();
  const hostFor = (id, pending) => {
    let host = hosts.get(id);
    if (host) return host;
    host = document.createElement('floor-row');
    const root = host.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet];
    const note = document.createElement('span');
    note.className = 'note';
    note.textContent = pending ? 'expires in 12 days' : 'kept';
    root.append(note);
    if (pending) {
      const button = document.createElement('button');
      button.textContent = 'Revoke';
      root.append(button);
    }
    hosts.set(id, host);
    return host;
  };
  const observer = new MutationObserver((records) => {
    observer.disconnect();
    for (const record of records) {
      const nodes = record.addedNodes;
      for (let i = 0; i < nodes.length; i++) {
        const row = nodes[i];
        if (row.nodeType !== 1 || row.tagName !== 'TR') continue;
        const id = row.getAttribute('data-invite-id');
        if (!id) continue;
        const status = row.querySelector('td[data-col="status"]');
        const pending = (status ? status.textContent.trim().toLowerCase() : '').startsWith('pending');
        const cell = row.lastElementChild;
        if (cell) cell.appendChild(hostFor(id, pending));
      }
    }
    observer.observe(document, { childList: true, subtree: true });
  });
  observer.observe(document, { childList: true, subtree: true });
})();
