// The annotate benchmark's floor: what any extension must do at least to give every row of a
// re-rendered invite table a control, synchronously from its MutationObserver (before paint),
// from an isolated world, and move in one prebuilt shadow host per invite (closed, as Reclaim's:
// a countdown text and a button; no state, no timers).
//
// With the portal's DOM hooks: read the row's invite id and status, put the host in its last cell.
// Without them there is more that no extension can skip: find the invite table by its header
// words and its columns by their header text (once per table), know the page's invites (read
// once from the portal's API: nothing in such a row says which invite it is), and per row read
// the status cell and the cell that names the learner, look the invite up by that text, and put
// the host in the actions cell. It trusts every name to be one invite's; Reclaim also refuses a
// name that two invites share and checks the date of a row it has not seen before.
//
// Plain JavaScript, loaded as is by the benchmark; it is not part of Reclaim.
(() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(':host{display:inline-flex;gap:.5em;margin-inline-start:.5em}.note{color:#555}');
  const hosts = new Map();
  const hostFor = (id, pending) => {
    let host = hosts.get(id);
    if (host) return host;
    host = document.createElement('floor-row');
    const root = host.attachShadow({ mode: 'closed' });
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

  // ---- without hooks: the page's invites, and the table's columns by their header words

  const course = /^\/manager\/licenses\/([^/]+)\/distribute/.exec(location.pathname)?.[1];
  /** Lower-cased text of a learner cell -> invite id (a cell may show the name and the e-mail). */
  let byLearner = null;
  const readInvites = async () => {
    const map = new Map();
    for (const status of ['pending', 'accepted']) {
      for (let page = 1; ; page++) {
        const res = await fetch(`/api/courses/${course}/invites?status=${status}&page=${page}&pageSize=100`);
        const data = await res.json();
        for (const i of data.items) {
          const name = i.learner.name.toLowerCase();
          const email = i.learner.email.toLowerCase();
          for (const key of [name, email, name + email, `${name} ${email}`]) map.set(key, i.id);
        }
        if (page * data.pageSize >= data.total) break;
      }
    }
    byLearner = map;
    // Rows the page rendered before the invites were known.
    for (const row of document.querySelectorAll('tbody > tr')) decorate(row);
  };
  if (course) readInvites();

  const WORDS = {
    learner: ['learner', 'name', 'user', 'apprenant'],
    status: ['status', 'state', 'statut'],
    actions: ['actions'],
  };
  const columns = new WeakMap();
  const columnsOf = (table) => {
    let cols = columns.get(table);
    if (cols !== undefined) return cols;
    cols = null;
    const head = table.tHead?.rows[0];
    if (head) {
      const texts = [...head.cells].map((th) => th.textContent.trim().toLowerCase());
      const at = (words) => texts.findIndex((t) => words.includes(t));
      const learner = at(WORDS.learner);
      const status = at(WORDS.status);
      if (learner >= 0 && status >= 0) cols = { learner, status, actions: at(WORDS.actions) };
    }
    columns.set(table, cols);
    return cols;
  };

  const decorate = (row) => {
    const id = row.getAttribute('data-invite-id');
    if (id) {
      const status = row.querySelector('td[data-col="status"]');
      const pending = (status ? status.textContent.trim().toLowerCase() : '').startsWith('pending');
      const cell = row.lastElementChild;
      if (cell) cell.appendChild(hostFor(id, pending));
      return;
    }
    if (!byLearner) return;
    const table = row.parentElement?.parentElement;
    const cols = table?.tagName === 'TABLE' ? columnsOf(table) : null;
    if (!cols) return;
    const cells = row.cells;
    if (cells.length < 2) return;
    const invite = byLearner.get(cells[cols.learner].textContent.trim().toLowerCase());
    if (!invite) return;
    const pending = cells[cols.status].textContent.trim().toLowerCase().startsWith('pending');
    const cell = cols.actions >= 0 ? cells[cols.actions] : row.lastElementChild;
    cell.appendChild(hostFor(invite, pending));
  };

  const observer = new MutationObserver((records) => {
    observer.disconnect();
    for (const record of records) {
      const nodes = record.addedNodes;
      for (let i = 0; i < nodes.length; i++) {
        const row = nodes[i];
        if (row.nodeType === 1 && row.tagName === 'TR') decorate(row);
      }
    }
    observer.observe(document, { childList: true, subtree: true });
  });
  observer.observe(document, { childList: true, subtree: true });
})();
