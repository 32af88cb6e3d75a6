// Runs Mozilla Readability (the Firefox reader view) over the extraction-dev pages and writes one JSON line per
// page: {"file", "text"}; the last line on stderr is the timing. Used by extraction-vs-readability.sh. The DOM is
// linkedom's, Readability's fast setup (jsdom, its reference DOM, is about 20 times slower); pass "jsdom" as the
// sixth argument to use jsdom instead.
// Usage: node extract.mjs <node_modules> <html-folder> <file-list.json> <output.jsonl> [passes] [linkedom|jsdom]
// With passes > 1 the earlier passes warm V8's JIT and only the last pass is timed and written.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [modules, folder, listFile, output, passesArg, domArg] = process.argv.slice(2);
const passes = Math.max(1, Number(passesArg ?? 1));
const require = createRequire(path.join(path.resolve(modules), 'noop.js'));
const { Readability } = require('@mozilla/readability');
const useJsdom = domArg === 'jsdom';

const files = JSON.parse(fs.readFileSync(listFile, 'utf8'));
let extract;
if (useJsdom) {
  const { JSDOM, VirtualConsole } = require('jsdom');
  const quiet = new VirtualConsole();
  extract = (bytes) => {
    const dom = new JSDOM(bytes, { url: 'https://example.org/', contentType: 'text/html', virtualConsole: quiet });
    try {
      return new Readability(dom.window.document).parse()?.textContent ?? '';
    } finally {
      dom.window.close();
    }
  };
} else {
  const { parseHTML } = require('linkedom');
  const decoder = new TextDecoder('utf-8');
  extract = (bytes) => {
    const { document } = parseHTML(decoder.decode(bytes));
    return new Readability(document).parse()?.textContent ?? '';
  };
}
for (let pass = 1; pass < passes; pass++) {
  for (const file of files) {
    try { extract(fs.readFileSync(path.join(folder, file))); } catch { /* counted in the timed pass */ }
  }
}
const out = fs.openSync(output, 'w');
let failures = 0;
const started = process.hrtime.bigint();
for (const file of files) {
  const bytes = fs.readFileSync(path.join(folder, file));
  let text = '';
  try {
    text = extract(bytes);
  } catch {
    failures++;
  }
  fs.writeSync(out, JSON.stringify({ file, text }) + '\n');
}
fs.closeSync(out);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.error(JSON.stringify({ pages: files.length, seconds, failures, dom: useJsdom ? 'jsdom' : 'linkedom' }));
