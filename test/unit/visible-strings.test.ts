// @vitest-environment node
/**
 * Every word a person sees comes from the catalogues (public/_locales, through src/shared/i18n.ts):
 * this fails when a file under src/ that makes what people see holds such words itself.
 *
 * Read with TypeScript's parser, a file's literals count as words a person sees when they are:
 *   - text in JSX, or the value of an attribute people see or hear (title, aria-label, ...);
 *   - a string or template with two words in a row ("Revoke all"), or one capitalised word
 *     ("Undo"), anywhere else;
 * except where a literal is not for people: CSS, a sentence naming the code (`useApp outside
 * StoreContext`, for programmers), a console line, a DOM query or attribute name, an
 * import, a type, a comparison or `case` (the portal's own words, key names), a message key.
 * Files that only read the portal's pages (src/portal/page) or hold CSS are not for people.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(process.cwd(), 'src');

/** Files whose literals are not for people, and why. */
const NOT_FOR_PEOPLE: readonly [RegExp, string][] = [
  [/^portal\/page\//, "reads the portal's own pages, in the portal's words"],
  [/^shared\/i18n\.ts$/, 'the way to the catalogues'],
  [
    /^portal\/api\/schemas\.ts$/,
    "the answers' schemas: their issues are technical detail, as the schema library's own",
  ],
  [/(^|\/)([\w-]*styles|theme)\.ts$/, 'CSS'],
];

/** Attributes whose value is read or heard. */
const VISIBLE_ATTRIBUTES = new Set([
  'title',
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-valuetext',
  'placeholder',
  'alt',
  'label',
]);

/** Properties (of an element made in code, of a request) whose value is for the program: class lists, ids, headers. */
const TECHNICAL_PROPERTIES = new Set([
  'header',
  'class',
  'className',
  'id',
  'type',
  'role',
  'name',
  'rel',
  'autocomplete',
  'part',
]);

/** Calls whose string arguments are for the program, not for people. */
const TECHNICAL_CALL =
  /^(console\.\w+|t|tn|.*querySelector(All)?|.*closest|.*matches|.*createElement(NS)?|.*[gs]etAttribute|.*hasAttribute|.*removeAttribute|.*toggleAttribute|.*addEventListener|.*removeEventListener|.*dispatchEvent|.*getPropertyValue|.*setProperty|.*startsWith|.*endsWith|.*includes|.*split|.*replace(All)?|.*getItem|.*setItem|import|require|.*fetch|.*connect|.*postMessage|.*getURL|new URL|new RegExp|.*toLocaleString|.*toLocale\w+|new Intl\.\w+)$/;

const TWO_WORDS = /(?<![\p{L}\p{N}_$-])\p{L}[\p{L}'’]+[ \u00a0]+[\p{L}(«"“]/u;
const ONE_WORD = /^\p{Lu}\p{Ll}+[.…!?:]?$/u;

/** A block of CSS declarations: `a { b: c; }`. */
const CSS = /\{[^}]*:[^}]*;/;

/** A name from the code (`useApp`, `StoreContext`): words for programmers. */
const CODE_NAME = /\b([a-z]+[A-Z]|[A-Z][a-z]+[A-Z])\w*/;

const looksLikeWords = (text: string): boolean =>
  !CSS.test(text) && !CODE_NAME.test(text) && (TWO_WORDS.test(text) || ONE_WORD.test(text.trim()));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

function calleeName(call: ts.CallExpression | ts.NewExpression, sf: ts.SourceFile): string {
  const text = call.expression.getText(sf).replace(/\s+/g, '');
  return ts.isNewExpression(call) ? `new ${text}` : text;
}

/** Whether the literal at `node` is for the program: its place says so. */
function technicalPlace(node: ts.Node, sf: ts.SourceFile): boolean {
  let child: ts.Node = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isImportTypeNode(p)) return true;
    if (ts.isLiteralTypeNode(p) || ts.isTypeNode(p)) return true;
    if (ts.isCaseClause(p) && p.expression === child) return true;
    if (ts.isBinaryExpression(p)) {
      const op = p.operatorToken.kind;
      if (
        op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
        op === ts.SyntaxKind.EqualsEqualsToken ||
        op === ts.SyntaxKind.ExclamationEqualsToken ||
        op === ts.SyntaxKind.InKeyword
      )
        return true;
    }
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression !== child) {
      return TECHNICAL_CALL.test(calleeName(p, sf));
    }
    if (ts.isJsxAttribute(p)) return !VISIBLE_ATTRIBUTES.has(p.name.getText(sf));
    if (ts.isPropertyAssignment(p) && p.name === child) return true;
    if (ts.isPropertyAssignment(p) && p.initializer === child) {
      const name = p.name.getText(sf).replace(/^['"]|['"]$/g, '');
      if (TECHNICAL_PROPERTIES.has(name) || name.startsWith('data-')) return true;
    }
    if (ts.isElementAccessExpression(p) && p.argumentExpression === child) return true;
    // A literal's place is decided by the nearest statement or declaration that holds it.
    if (ts.isStatement(p) || ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) return false;
  }
  return false;
}

interface Found {
  file: string;
  line: number;
  text: string;
}

function wordsIn(file: string): Found[] {
  const source = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(
    file,
    source,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: Found[] = [];
  const add = (node: ts.Node, text: string): void => {
    found.push({
      file: relative(SRC, file),
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
      text,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node)) {
      if (/\p{L}/u.test(node.text)) add(node, node.text.trim());
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const inVisibleAttribute =
        ts.isJsxAttribute(node.parent) && VISIBLE_ATTRIBUTES.has(node.parent.name.getText(sf));
      if (
        inVisibleAttribute ? /\p{L}/u.test(node.text) : looksLikeWords(node.text) && !technicalPlace(node, sf)
      )
        add(node, node.text);
    } else if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('\u0000');
      if (!CODE_NAME.test(parts) && parts.split('\u0000').some(looksLikeWords) && !technicalPlace(node, sf))
        add(node, node.getText(sf));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('words people see', () => {
  it('come from the catalogues, in every file under src/ that makes what people see', () => {
    const files = sourceFiles(SRC).filter((f) => {
      const rel = relative(SRC, f).split('\\').join('/');
      return !NOT_FOR_PEOPLE.some(([re]) => re.test(rel));
    });
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap(wordsIn).map((f) => `${f.file}:${f.line} ${JSON.stringify(f.text)}`);
    expect(found).toEqual([]);
  });

  it('finds words written into a file (the check itself)', () => {
    // A file of the shapes the check must catch, and of those it must let be.
    const dir = resolve(process.cwd(), 'test/unit/fixtures');
    const found = wordsIn(join(dir, 'visible-strings.fixture.tsx')).map((f) => f.text);
    expect(found.sort()).toEqual(
      [
        'Revoke all',
        'Undo',
        'Cancel invite',
        'Refresh',
        `\`Revoking \${n} invites\``,
        'Signed out of the portal',
      ].sort(),
    );
  });
});
