import { afterEach, describe, expect, it } from 'vitest';
import { auditCsv, csvCell } from '../../../src/background/audit-csv';
import type { AuditEntry } from '../../../src/shared/types';
import { installI18n } from '../../i18n';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  at: Date.UTC(2026, 10, 27, 9, 30),
  origin: 'http://127.0.0.1:4310',
  jobId: 1,
  surface: 'popup',
  inviteId: 'i-1',
  learnerName: 'Jane Doe',
  learnerEmail: 'jane@example.test',
  courseId: 'c-1',
  courseTitle: 'Fire Safety',
  outcome: 'revoked',
  detail: null,
  ...over,
});

/** A minimal RFC 4180 reader, to check the text parses back to the same cells. */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (quoted) {
      if (ch === '"' && text[k + 1] === '"') {
        cell += '"';
        k++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[k + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      k++;
    } else cell += ch;
  }
  return rows;
}

afterEach(() => installI18n('en'));

describe('audit CSV', () => {
  it('has a BOM, a header row, CRLF rows and cells that read back unchanged', () => {
    const csv = auditCsv([
      entry({}),
      entry({ learnerName: 'Zoë "Zed" Ångström, Jr.', detail: 'line one\nline two', outcome: 'failed' }),
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse(csv.slice(1));
    expect(rows[0]).toEqual([
      'when',
      'origin',
      'invite id',
      'learner',
      'e-mail',
      'course',
      'outcome',
      'detail',
      'job',
      'action',
      'reason',
    ]);
    expect(rows[1]).toEqual([
      '2026-11-27T09:30:00.000Z',
      'http://127.0.0.1:4310',
      'i-1',
      'Jane Doe',
      'jane@example.test',
      'Fire Safety',
      'revoked',
      '',
      '1',
      'cancel',
      '',
    ]);
    expect(rows[2]?.[3]).toBe('Zoë "Zed" Ångström, Jr.');
    expect(rows[2]?.[7]).toBe('line one\nline two');
    expect(rows).toHaveLength(3);
  });

  it('puts invites beside revokes, with their job, action and reason', () => {
    const csv = auditCsv([
      entry({ jobId: 4, action: 'cancel', reason: 'reassign' }),
      entry({
        jobId: 4,
        action: 'invite',
        reason: 'reassign',
        inviteId: 'i-90',
        learnerName: 'new@example.test',
        learnerEmail: 'new@example.test',
        outcome: 'invited',
      }),
    ]);
    const rows = parse(csv.slice(1));
    expect(rows.slice(1).map((r) => [r[2], r[4], r[6], r[8], r[9], r[10]])).toEqual([
      ['i-1', 'jane@example.test', 'revoked', '4', 'cancel', 'reassign'],
      ['i-90', 'new@example.test', 'invited', '4', 'invite', 'reassign'],
    ]);
  });

  it('is in the reader’s language, its columns in the same order', () => {
    installI18n('fr');
    const csv = auditCsv([
      entry({}),
      entry({ jobId: 4, action: 'invite', reason: 'make-room', outcome: 'kept-accepted' }),
    ]);
    expect(csv.split('\r\n')[0]).toBe(
      '\uFEFFdate,origine,id de l’invitation,apprenant,courriel,cours,résultat,détail,tâche,action,motif',
    );
    const rows = parse(csv.slice(1));
    expect(rows.slice(1).map((r) => [r[6], r[9], r[10]])).toEqual([
      ['révoquée', 'annulation', ''],
      ['acceptée, conservée', 'invitation', 'libérer des places'],
    ]);
  });

  it('writes an outcome this version has no word for as it was stored', () => {
    const csv = auditCsv([entry({ outcome: 'gone-elsewhere' as AuditEntry['outcome'] })]);
    expect(parse(csv.slice(1))[1]?.[6]).toBe('gone-elsewhere');
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const evil of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1']) {
      const cell = csvCell(evil);
      const back = parse(`${cell}\r\n`)[0]?.[0] ?? '';
      expect(back.startsWith("'")).toBe(true);
      expect(back.slice(1)).toBe(evil);
    }
    expect(csvCell('Jane')).toBe('Jane');
  });

  it('neutralises the full-width formula signs and a leading tab or carriage return too', () => {
    for (const evil of ['＝HYPERLINK("http://x","y")', '＋1+1', '－2+3', '＠SUM(A1)', '\tcmd', '\r=1']) {
      const back = parse(`${csvCell(evil)}\r\n`)[0]?.[0] ?? '';
      expect(back, JSON.stringify(evil)).toBe(`'${evil}`);
    }
    // Only at the start: the same signs inside a name are left alone.
    expect(csvCell('Anne-Marie ＝ Smith')).toBe('Anne-Marie ＝ Smith');
  });
});
