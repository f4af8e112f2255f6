// Writes the release's section of CHANGELOG.md from the breaking-change gate's output. Run at
// release time, after info.version and the poms carry the new version and `mvn -B verify` has
// written spec/target/changelog.md (spec/README.md, "Releasing"):
//
//   node spec/scripts/release-changelog.mjs [--date YYYY-MM-DD] [--spec F] [--gate F] [--changelog F]
//
// A hand-written "## X.Y.Z (unreleased)" section keeps its notes: its heading becomes
// "## X.Y.Z - date" and the gate's comparison is appended to it. Without one, a new section is put
// above the newest release. Node only, no packages.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const options = { date: new Date().toISOString().slice(0, 10), spec: `${root}/spec/openapi.yaml`,
  gate: `${root}/spec/target/changelog.md`, changelog: `${root}/CHANGELOG.md` };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const key = args[i].replace(/^--/, '');
  if (!(key in options) || args[i + 1] === undefined) fail(`unknown or incomplete option ${args[i]}`);
  options[key] = args[i + 1];
}

function fail(message) {
  console.error(`release-changelog: ${message}`);
  process.exit(1);
}

const version = readFileSync(options.spec, 'utf8').match(/^info:\n(?:[ \t].*\n)*?[ \t]+version:[ \t]*['"]?([^'"\s#]+)/m)?.[1];
if (!version) fail(`no info.version in ${options.spec}`);
const gate = readFileSync(options.gate, 'utf8');
const heading = gate.split('\n', 1)[0];
const body = gate.slice(heading.length).trim();

const unreleasedSince = heading.match(/^## Unreleased changes since (\S+)$/);
const against = heading.match(/^## (\S+) \(unreleased\) against the published (\S+)$/);
if (unreleasedSince && !body.startsWith('None')) {
  fail(`the gate lists changes while info.version is still ${unreleasedSince[1]}: set the new version in info.version and the poms, run mvn -B verify, then run this again`);
}
if (!unreleasedSince && !against) fail(`${options.gate} does not start with a gate heading: ${heading}`);
const gateVersion = against ? against[1] : unreleasedSince[1];
if (gateVersion !== version) fail(`${options.gate} is for ${gateVersion}, info.version is ${version}: run mvn -B verify first`);
if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) fail(`--date must be YYYY-MM-DD, got ${options.date}`);

// What the gate found, unless it compared the release with itself (the first release: nothing earlier).
const comparison = against ? `### Compared with the published ${against[2]} (breaking-change gate)\n\n${body}\n` : '';
const released = `## ${version} - ${options.date}`;
let changelog = readFileSync(options.changelog, 'utf8');
const escaped = version.replace(/\./g, '\\.');
if (new RegExp(`^## ${escaped} - `, 'm').test(changelog)) fail(`CHANGELOG.md already has a released ${version}`);

const pending = new RegExp(`^## ${escaped} \\(unreleased\\)[^\\n]*\\n`, 'm');
const match = changelog.match(pending);
if (match) {
  const start = match.index;
  const next = changelog.indexOf('\n## ', start + match[0].length);
  const end = next < 0 ? changelog.length : next + 1;
  const notes = changelog.slice(start + match[0].length, end).trimEnd();
  const section = `${released}\n${notes}\n${comparison ? `\n${comparison}` : ''}`;
  changelog = changelog.slice(0, start) + section + (next < 0 ? '' : '\n') + changelog.slice(end);
} else {
  if (!comparison) fail(`no "## ${version} (unreleased)" section to date, and no comparison to write`);
  const first = changelog.search(/^## /m);
  const section = `${released}\n\n${comparison}\n`;
  changelog = first < 0 ? `${changelog.trimEnd()}\n\n${section}` : changelog.slice(0, first) + section + changelog.slice(first);
}
writeFileSync(options.changelog, changelog);
console.log(`${options.changelog}: section "${released}" written${comparison ? ' with the gate\'s comparison' : ''}`);
