// Reference: node-semver (the package npm itself uses). Reads `A<TAB>B` lines,
// prints `<`, `=`, `>` for semver.compare(A, B), or `!` when either is not a valid
// version (strict mode, as npm parses lockfile and registry versions).
const semver = require('./node_modules/semver');
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
if (lines.length && lines[lines.length - 1] === '') lines.pop();
const out = [];
for (const line of lines) {
  const [a, b] = line.split('\t');
  const va = semver.parse(a), vb = semver.parse(b);
  if (va === null || vb === null) { out.push('!'); continue; }
  const c = semver.compare(va, vb);
  out.push(c < 0 ? '<' : c > 0 ? '>' : '=');
}
process.stdout.write(out.map(s => s + '\n').join(''));
