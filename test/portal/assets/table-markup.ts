/**
 * How the two invite tables (a learner's Invite History, a course's Usage) are marked up: with the
 * contract's DOM hooks (the default), or as a vendor's storefront might render them (no hooks,
 * other column order, an extra column, a wrapper, other classes, other header words, French,
 * other date formats). A simulation switch (/__sim/markup) picks one; the server renders the
 * table's skeleton from it and the page's script (which imports this file as
 * /assets/table-markup.js) renders the rows from it. Pure data and functions: no DOM, no Node.
 */

export type InviteTable = 'usage' | 'invite-history';
export type Column = 'learner' | 'course' | 'sent' | 'status' | 'progress' | 'extra' | 'actions';
export type Words = 'en' | 'en-alt1' | 'en-alt2' | 'fr';
export type DateFormat = 'portal' | 'd MMM yyyy' | 'yyyy-mm-dd' | 'dd/mm/yyyy' | 'MMM d';
export type StatusCase = 'lower' | 'title' | 'upper';
export type Layout = 'portal' | 'vendor';

export interface TableMarkup {
  /** data-table on the table, data-invite-id on rows, data-col on cells. */
  hooks: boolean;
  /** The date cell holds <time datetime="ISO"> around its text. */
  time: boolean;
  /** 'portal': the reference portal's own structure and classes. 'vendor': a wrapper element,
   * other classes, another column order and an extra column. */
  layout: Layout;
  /** Header words, status words and the row controls' texts. */
  words: Words;
  /** The date cell's text. */
  dateFormat: DateFormat;
  statusCase: StatusCase;
  /** The learner cell also shows the learner's e-mail (vendor layout: a second line; portal
   * layout always carries it as the cell's title). */
  learnerEmail: boolean;
}

export const MARKUP_PRESETS = {
  hooks: {
    hooks: true,
    time: true,
    layout: 'portal',
    words: 'en',
    dateFormat: 'portal',
    statusCase: 'lower',
    learnerEmail: false,
  },
  hookless: {
    hooks: false,
    time: false,
    layout: 'vendor',
    words: 'en-alt1',
    dateFormat: 'd MMM yyyy',
    statusCase: 'title',
    learnerEmail: false,
  },
  'hookless-fr': {
    hooks: false,
    time: false,
    layout: 'vendor',
    words: 'fr',
    dateFormat: 'dd/mm/yyyy',
    statusCase: 'title',
    learnerEmail: false,
  },
} as const satisfies Record<string, TableMarkup>;

export type MarkupPreset = keyof typeof MARKUP_PRESETS;
export const DEFAULT_MARKUP: Readonly<TableMarkup> = MARKUP_PRESETS.hooks;

const CHOICES: { [K in keyof TableMarkup]: readonly TableMarkup[K][] } = {
  hooks: [true, false],
  time: [true, false],
  layout: ['portal', 'vendor'],
  words: ['en', 'en-alt1', 'en-alt2', 'fr'],
  dateFormat: ['portal', 'd MMM yyyy', 'yyyy-mm-dd', 'dd/mm/yyyy', 'MMM d'],
  statusCase: ['lower', 'title', 'upper'],
  learnerEmail: [true, false],
};

/**
 * `base` (or the named preset) with the fields of `patch` applied; the name of the first field
 * that is not one of its values otherwise.
 */
export function applyMarkup(
  base: TableMarkup,
  patch: Record<string, unknown>,
): { markup: TableMarkup } | { field: string } {
  let out: TableMarkup = { ...base };
  if (patch.preset !== undefined) {
    const preset = MARKUP_PRESETS[patch.preset as MarkupPreset];
    if (typeof patch.preset !== 'string' || !preset) return { field: 'preset' };
    out = { ...preset };
  }
  for (const key of Object.keys(patch)) {
    if (key === 'preset') continue;
    if (!(key in CHOICES)) return { field: key };
    const k = key as keyof TableMarkup;
    const allowed = CHOICES[k] as readonly unknown[];
    if (!allowed.includes(patch[key])) return { field: key };
    out = { ...out, [k]: patch[key] };
  }
  return { markup: out };
}

export function isDefaultMarkup(m: TableMarkup): boolean {
  return (Object.keys(CHOICES) as (keyof TableMarkup)[]).every((k) => m[k] === DEFAULT_MARKUP[k]);
}

/** The markup as the page's script receives it (a response header, an attribute): compact JSON. */
export function encodeMarkup(m: TableMarkup): string {
  return JSON.stringify(m);
}

/** The markup a header or attribute carries; the default when absent or unreadable. */
export function decodeMarkup(raw: string | null | undefined): TableMarkup {
  if (!raw) return { ...DEFAULT_MARKUP };
  try {
    const v: unknown = JSON.parse(raw);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const r = applyMarkup(DEFAULT_MARKUP, v as Record<string, unknown>);
      if ('markup' in r) return r.markup;
    }
  } catch {
    // the default below
  }
  return { ...DEFAULT_MARKUP };
}

/** The header of the page's script's API answers that carries a non-default markup. */
export const MARKUP_HEADER = 'X-Portal-Markup';

// ---------------------------------------------------------------- columns and words

const ORDER: Record<Layout, Record<InviteTable, Column[]>> = {
  portal: {
    usage: ['learner', 'sent', 'status', 'progress', 'actions'],
    'invite-history': ['course', 'sent', 'status', 'actions'],
  },
  vendor: {
    usage: ['status', 'sent', 'extra', 'learner', 'progress', 'actions'],
    'invite-history': ['status', 'extra', 'course', 'sent', 'actions'],
  },
};

type HeaderWords = Record<InviteTable, Partial<Record<Column, string>>>;

/** Header texts per word set; the actions column's header is 'Actions' (screen-reader only in the portal layout). */
export const HEADER_WORDS: Record<Words, HeaderWords> = {
  en: {
    usage: {
      learner: 'Learner',
      sent: 'Invited',
      status: 'Status',
      progress: 'Progress',
      extra: 'Department',
    },
    'invite-history': { course: 'Course', sent: 'Sent', status: 'Status', extra: 'Licence type' },
  },
  'en-alt1': {
    usage: { learner: 'Name', sent: 'Date', status: 'State', progress: 'Completion', extra: 'Team' },
    'invite-history': { course: 'Course name', sent: 'Date', status: 'State', extra: 'Licence' },
  },
  'en-alt2': {
    usage: { learner: 'User', sent: 'Invited on', status: 'State', progress: 'Progress', extra: 'Group' },
    'invite-history': { course: 'Training', sent: 'Invited', status: 'State', extra: 'Seat type' },
  },
  fr: {
    usage: {
      learner: 'Apprenant',
      sent: "Date d'invitation",
      status: 'Statut',
      progress: 'Progression',
      extra: 'Service',
    },
    'invite-history': { course: 'Cours', sent: 'Envoyée le', status: 'Statut', extra: 'Type de licence' },
  },
};

const STATUS_WORDS: Record<'en' | 'fr', Record<string, string>> = {
  en: { pending: 'pending', accepted: 'accepted', cancelled: 'cancelled', expired: 'expired' },
  fr: { pending: 'en attente', accepted: 'acceptée', cancelled: 'annulée', expired: 'expirée' },
};

/** The row controls' and empty tables' texts. */
export const UI_WORDS = {
  en: {
    actions: 'Actions',
    cancel: 'Cancel',
    cancelFor: (name: string) => `Cancel invite for ${name}`,
    actionsFor: (title: string) => `Actions for ${title}`,
    emptyUsage: 'Nobody has been invited to this course yet.',
    emptyHistory: 'No invites for this learner.',
  },
  fr: {
    actions: 'Actions',
    cancel: 'Annuler',
    cancelFor: (name: string) => `Annuler l'invitation de ${name}`,
    actionsFor: (title: string) => `Actions pour ${title}`,
    emptyUsage: "Personne n'a encore été invité à ce cours.",
    emptyHistory: 'Aucune invitation pour cet apprenant.',
  },
};

export const language = (m: TableMarkup): 'en' | 'fr' => (m.words === 'fr' ? 'fr' : 'en');

export interface Skeleton {
  /** Class of the element wrapping the table; null: no wrapper. */
  wrapperClass: string | null;
  tableClass: string;
  /** The data-table value; null without hooks. */
  hook: string | null;
  columns: Column[];
  headers: { text: string; srOnly: boolean }[];
}

/** Everything above the rows: wrapper, table, header cells. */
export function skeleton(table: InviteTable, m: TableMarkup): Skeleton {
  const columns = ORDER[m.layout][table];
  const words = HEADER_WORDS[m.words][table];
  return {
    wrapperClass: m.layout === 'vendor' ? 'tw-table-wrap' : null,
    tableClass: m.layout === 'vendor' ? 'tw-table' : 'grid',
    hook: m.hooks ? table : null,
    columns,
    headers: columns.map((c) =>
      c === 'actions'
        ? { text: UI_WORDS[language(m)].actions, srOnly: m.layout === 'portal' }
        : { text: words[c] ?? c, srOnly: false },
    ),
  };
}

export function statusText(status: string, m: TableMarkup): string {
  const word = STATUS_WORDS[language(m)][status] ?? status;
  if (m.statusCase === 'upper') return word.toUpperCase();
  if (m.statusCase === 'title') return word.charAt(0).toUpperCase() + word.slice(1);
  return word;
}

/** The extra column's text: a stable made-up value per learner (Usage) or invite (Invite History). */
export function extraText(table: InviteTable, id: string, m: TableMarkup): string {
  const n = Number(id.slice(id.indexOf('-') + 1)) || 0;
  const fr = language(m) === 'fr';
  const values =
    table === 'usage'
      ? fr
        ? ['Exploitation', 'Ventes', 'Entrepôt', 'Finance', 'RH']
        : ['Operations', 'Sales', 'Warehouse', 'Finance', 'HR']
      : fr
        ? ['Standard', 'Annuelle']
        : ['Standard', 'Annual'];
  return values[n % values.length] as string;
}

const MONTHS = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  fr: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
};
const two = (n: number) => String(n).padStart(2, '0');
/** The reference portal's own date format (the hooked rendering's). */
const PORTAL_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * A date cell's text, in the time zone of whoever formats it (the browser's, as the hosted
 * portal's script would). 'portal' is the reference portal's own "17 Nov 2026, 14:05".
 */
export function dateText(iso: string, m: TableMarkup): string {
  const d = new Date(iso);
  const month = MONTHS[language(m)][d.getMonth()] as string;
  switch (m.dateFormat) {
    case 'd MMM yyyy':
      return `${d.getDate()} ${month} ${d.getFullYear()}`;
    case 'yyyy-mm-dd':
      return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
    case 'dd/mm/yyyy':
      return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}`;
    case 'MMM d':
      return `${month} ${d.getDate()}`;
    case 'portal':
      return PORTAL_DATE.format(d);
  }
}
