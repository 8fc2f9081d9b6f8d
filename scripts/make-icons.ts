/**
 * Draws Reclaim's toolbar icons (a rounded teal square with a white "return" arrow) as PNGs
 * into public/icons. Run once with `npx tsx scripts/make-icons.ts`; the PNGs are committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function icon(size: number): Buffer {
  const s = 4; // supersampling
  return png(size, (px, py) => {
    let inside = 0;
    let white = 0;
    for (let sy = 0; sy < s; sy++)
      for (let sx = 0; sx < s; sx++) {
        const x = (px + (sx + 0.5) / s) / size;
        const y = (py + (sy + 0.5) / s) / size;
        const r = 0.2;
        const dx = Math.max(r - x, 0, x - (1 - r));
        const dy = Math.max(r - y, 0, y - (1 - r));
        if (dx * dx + dy * dy > r * r) continue;
        inside++;
        // A ring (3/4 circle) with an arrow head: "give back".
        const cx = x - 0.5;
        const cy = y - 0.52;
        const d = Math.hypot(cx, cy);
        const ang = Math.atan2(cy, cx);
        const ring = d > 0.2 && d < 0.31 && !(ang < -Math.PI / 2 && ang > -Math.PI);
        const hx = x - 0.3;
        const hy = y - 0.3;
        const head = hy > -0.14 && hx > -0.02 && hx + hy < 0.12 && hx - hy > -0.12 && y < 0.42 && x < 0.44;
        if (ring || head) white++;
      }
    const a = Math.round((inside / (s * s)) * 255);
    const w = inside ? white / inside : 0;
    const mix = (base: number) => Math.round(base + (255 - base) * w);
    return [mix(15), mix(118), mix(110), a];
  });
}

mkdirSync('public/icons', { recursive: true });
for (const size of [16, 32, 48, 128]) writeFileSync(`public/icons/icon-${size}.png`, icon(size));
console.log('icons written to public/icons');
