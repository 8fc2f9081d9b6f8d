/**
 * The store packages `npm run package` wrote, read back from their zips, so tests check exactly
 * what the stores receive. Enough of the zip format for what web-ext writes: stored and
 * deflated entries, no zip64.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { type Browser, PACKAGES_DIR, packageName } from '../../build/target';
import manifest from '../../manifest.json' with { type: 'json' };

/** Every file of one browser's store package, by name. */
export function storePackage(browser: Browser): Map<string, Buffer> {
  const zip = resolve(PACKAGES_DIR, packageName(browser, manifest.version));
  if (!existsSync(zip)) throw new Error(`No store package at ${zip}: run \`npm run package\` first.`);
  return readZip(zip);
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;

/** Every file in the zip at `path` (folders left out), by name. */
export function readZip(path: string): Map<string, Buffer> {
  const zip = readFileSync(path);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
  if (end < 0) throw new Error(`${path}: not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_ENTRY) throw new Error(`${path}: bad central directory`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + skip;
    if (name.endsWith('/')) continue;
    if (zip.readUInt32LE(local) !== LOCAL_ENTRY) throw new Error(`${path}: bad entry ${name}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressedSize);
    if (method === 0) files.set(name, Buffer.from(data));
    else if (method === 8) files.set(name, inflateRawSync(data));
    else throw new Error(`${path}: ${name} uses compression method ${method}`);
  }
  return files;
}

/** Writes `files` under `dir`, as a browser would unpack them. */
export function unpack(files: Map<string, Buffer>, dir: string): void {
  for (const [name, body] of files) {
    const file = join(dir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
  }
}
