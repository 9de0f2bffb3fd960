// Draws the app icons (red field, yellow star, "ĐV") as PNG files with Node's built-in modules only,
// so anyone can regenerate them without an image toolchain: `npm run icons`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const RED = [0xda, 0x25, 0x1d];
const YELLOW = [0xff, 0xde, 0x00];
const SUBSAMPLES = 4; // per axis: 16 samples per pixel smooth the edges

// Geometry in a unit square (0..1); `inset` shrinks it for maskable icons, whose corners get cut.
const star = starPolygon(0.5, 0.37, 0.25, 0.1);
const strokes = [...letterD(0.22, 0.64, 0.27, 0.24), ...letterV(0.55, 0.64, 0.25, 0.24)];
const STROKE = 0.055;

function starPolygon(cx, cy, outer, inner) {
  const points = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  return points;
}

/** "Đ": stem, top and bottom bars, a rounded bowl, and the crossbar that makes D into Đ. */
function letterD(x, y, w, h) {
  const segments = [
    [x, y, x, y + h],
    [x, y, x + w * 0.45, y],
    [x, y + h, x + w * 0.45, y + h],
    [x - w * 0.14, y + h / 2, x + w * 0.22, y + h / 2],
  ];
  const cx = x + w * 0.45;
  const cy = y + h / 2;
  const steps = 24;
  for (let i = 0; i < steps; i++) {
    const a0 = -Math.PI / 2 + (i * Math.PI) / steps;
    const a1 = -Math.PI / 2 + ((i + 1) * Math.PI) / steps;
    const rx = w * 0.55;
    const ry = h / 2;
    segments.push([cx + rx * Math.cos(a0), cy + ry * Math.sin(a0), cx + rx * Math.cos(a1), cy + ry * Math.sin(a1)]);
  }
  return segments;
}

function letterV(x, y, w, h) {
  return [
    [x, y, x + w / 2, y + h],
    [x + w / 2, y + h, x + w, y],
  ];
}

function insidePolygon(px, py, polygon) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function nearSegment(px, py, [x0, y0, x1, y1], radius) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
  const ex = px - (x0 + t * dx);
  const ey = py - (y0 + t * dy);
  return ex * ex + ey * ey <= radius * radius;
}

function isYellow(u, v) {
  if (u < 0 || u > 1 || v < 0 || v > 1) return false;
  return insidePolygon(u, v, star) || strokes.some((s) => nearSegment(u, v, s, STROKE / 2));
}

function draw(size, inset) {
  const rgb = Buffer.alloc(size * size * 3);
  const scale = 1 - 2 * inset;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < SUBSAMPLES; sy++) {
        for (let sx = 0; sx < SUBSAMPLES; sx++) {
          const u = ((px + (sx + 0.5) / SUBSAMPLES) / size - inset) / scale;
          const v = ((py + (sy + 0.5) / SUBSAMPLES) / size - inset) / scale;
          if (isYellow(u, v)) hits++;
        }
      }
      const k = hits / (SUBSAMPLES * SUBSAMPLES);
      for (let c = 0; c < 3; c++) rgb[(py * size + px) * 3 + c] = Math.round(RED[c] * (1 - k) + YELLOW[c] * k);
    }
  }
  return rgb;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size, rgb) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB, no alpha (iOS fills transparency with black)
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) rgb.copy(raw, y * (size * 3 + 1) + 1, y * size * 3, (y + 1) * size * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const icons = [
  { name: 'icon-192.png', size: 192, inset: 0.04 },
  { name: 'icon-512.png', size: 512, inset: 0.04 },
  // Maskable: launchers may crop to a circle of 80% diameter, so keep everything well inside it.
  { name: 'icon-maskable-512.png', size: 512, inset: 0.17 },
  { name: 'apple-touch-icon-180.png', size: 180, inset: 0.06 },
  { name: 'favicon-48.png', size: 48, inset: 0 },
];

mkdirSync(OUT, { recursive: true });
for (const { name, size, inset } of icons) {
  const file = join(OUT, name);
  writeFileSync(file, png(size, draw(size, inset)));
  console.log(`${file} (${size}x${size})`);
}
