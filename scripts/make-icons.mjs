#!/usr/bin/env node
// Draws the app icon at every size electron-builder wants, with a hand-written PNG encoder (Node's
// zlib only), so icons are reproducible from source and no image tool or download is needed.
// Usage: node scripts/make-icons.mjs [outDir]   (default: assets/icons)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA (8 bits per channel, non-premultiplied) to PNG bytes. */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // depth 8, colour type RGBA, deflate, adaptive filtering, no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter "None": simple and deterministic; zlib does the rest
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const clamp01 = (v) => Math.max(0, Math.min(1, v));

// Signed distance to a rounded rectangle centred on (cx, cy): negative inside.
function roundedRectDistance(x, y, cx, cy, half, radius) {
  const qx = Math.abs(x - cx) - (half - radius);
  const qy = Math.abs(y - cy) - (half - radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = clamp01(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

// The "W" as a polyline in unit coordinates (0..1 over the icon), plus a folded page corner.
const W_POINTS = [
  [0.24, 0.3],
  [0.36, 0.72],
  [0.5, 0.42],
  [0.64, 0.72],
  [0.76, 0.3],
];

function over(dst, src, alpha) {
  return dst.map((d, i) => d * (1 - alpha) + src[i] * alpha);
}

/** Renders one size analytically (distance fields give anti-aliasing without supersampling). */
export function drawIcon(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const s = size;
  const half = s * 0.46;
  const radius = s * 0.11;
  const stroke = Math.max(1.2, s * 0.075);
  const top = [31, 78, 156];
  const bottom = [20, 138, 154];
  for (let y = 0; y < s; y++) {
    for (let x = 0; x < s; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const bg = clamp01(0.5 - roundedRectDistance(px, py, s / 2, s / 2, half, radius));
      const t = py / s;
      let rgb = top.map((c, i) => c + (bottom[i] - c) * t);
      let w = Infinity;
      for (let i = 0; i + 1 < W_POINTS.length; i++) {
        const [ax, ay] = W_POINTS[i];
        const [bx, by] = W_POINTS[i + 1];
        w = Math.min(w, segmentDistance(px, py, ax * s, ay * s, bx * s, by * s));
      }
      rgb = over(rgb, [255, 255, 255], clamp01(stroke / 2 - w + 0.5));
      // A small "live" dot: the inspector is watching.
      const dot = clamp01(s * 0.055 - Math.hypot(px - s * 0.75, py - s * 0.8) + 0.5);
      rgb = over(rgb, [255, 196, 61], dot);
      const o = (y * s + x) * 4;
      pixels[o] = Math.round(rgb[0]);
      pixels[o + 1] = Math.round(rgb[1]);
      pixels[o + 2] = Math.round(rgb[2]);
      pixels[o + 3] = Math.round(bg * 255);
    }
  }
  return encodePng(s, s, pixels);
}

export function writeIcons(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const written = [];
  for (const size of ICON_SIZES) {
    const file = path.join(outDir, `${size}x${size}.png`);
    fs.writeFileSync(file, drawIcon(size));
    written.push(file);
  }
  // electron-builder converts icon.png to .ico (Windows) and .icns (macOS); 512 px is its minimum.
  const main = path.join(outDir, 'icon.png');
  fs.copyFileSync(path.join(outDir, '512x512.png'), main);
  written.push(main);
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const out = path.resolve(process.argv[2] ?? path.join(root, 'assets', 'icons'));
  for (const file of writeIcons(out)) console.log(path.relative(process.cwd(), file));
}
