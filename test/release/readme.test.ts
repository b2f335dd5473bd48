// What keeps the READMEs short, in step with each other, and their links alive: README.md is what
// a contact-center ops person reads first (and what npm and n8n's node panel link to), so it stays
// a short start; everything else lives in docs/ pages by topic, which every link must reach.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const README_LIMIT = 12_000;
// Spanish runs about a tenth longer than English for the same text.
const README_ES_LIMIT = Math.round(README_LIMIT * 1.1);
// Words that mean nothing to the README's reader; docs/ pages may use them, explained.
const JARGON = [
	/peer-?depend/i,
	/ETARGET/,
	/\bpins?\b/i,
	/pairedItem/,
	/static data/i,
	/Retry-After/i,
	/getUserToken/,
	/\bwire\b/i,
];

interface Heading {
	level: number;
	text: string;
}

const read = (relative: string): string => fs.readFileSync(path.join(ROOT, relative), 'utf8');

/** The text outside fenced code blocks, line by line (a heading or link inside code is not one). */
function proseLines(markdown: string): string[] {
	let fenced = false;
	return markdown.split('\n').filter((line) => {
		if (/^\s*(```|~~~)/.test(line)) {
			fenced = !fenced;
			return false;
		}
		return !fenced;
	});
}

function headingsOf(markdown: string): Heading[] {
	return proseLines(markdown).flatMap((line) => {
		const match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
		return match ? [{ level: match[1].length, text: match[2] }] : [];
	});
}

/** Link and image targets, inline code left out. */
function linksOf(markdown: string): string[] {
	const prose = proseLines(markdown)
		.join('\n')
		.replace(/`[^`\n]*`/g, '');
	return [
		...prose.matchAll(/!?\[(?:[^\]]|\][^(])*?\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g),
	].map((match) => match[1]);
}

/** GitHub's anchor for a heading: its text lowercased, punctuation dropped, spaces as dashes. */
function anchorsOf(markdown: string): Set<string> {
	const seen = new Map<string, number>();
	const anchors = new Set<string>();
	for (const { text } of headingsOf(markdown)) {
		const plain = text
			.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
			.replace(/[`*]/g, '')
			.toLowerCase();
		const base = plain.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	return anchors;
}

const isRelative = (target: string): boolean => !/^[a-z][a-z0-9+.-]*:/i.test(target);

/** Relative links of a file that point nowhere: a missing file, or a missing heading. */
function brokenLinks(file: string): string[] {
	const markdown = read(file);
	return linksOf(markdown)
		.filter(isRelative)
		.filter((target) => {
			const [pathPart, anchor] = target.split('#', 2);
			const resolved = pathPart ? path.join(path.dirname(file), decodeURI(pathPart)) : file;
			if (!fs.existsSync(path.join(ROOT, resolved))) return true;
			if (anchor === undefined || !resolved.endsWith('.md')) return false;
			return !anchorsOf(read(resolved)).has(decodeURIComponent(anchor).toLowerCase());
		})
		.map((target) => `${file}: ${target}`);
}

const docsPages = (): string[] =>
	fs
		.readdirSync(path.join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`);

const docsTargets = (markdown: string): string[] =>
	[...new Set(linksOf(markdown).filter((target) => target.startsWith('docs/')))].sort();

describe('README.md', () => {
	const readme = read('README.md');

	it(`is under ${README_LIMIT.toLocaleString('en')} characters`, () => {
		expect(Array.from(readme).length).toBeLessThan(README_LIMIT);
	});

	it("names the project's two commands: the demo and every test", () => {
		// .ci/run, scripts/test.sh and the project's brief rely on README naming them.
		expect(readme).toContain('bash scripts/demo.sh');
		expect(readme).toContain('bash scripts/test.sh');
	});

	it('speaks plainly: no jargon an ops person would have to look up', () => {
		expect(JARGON.filter((word) => word.test(readme)).map(String)).toEqual([]);
	});
});

describe('README.es.md follows README.md', () => {
	const readme = read('README.md');
	const spanish = read('README.es.md');

	it(`is under ${README_ES_LIMIT.toLocaleString('en')} characters`, () => {
		expect(Array.from(spanish).length).toBeLessThan(README_ES_LIMIT);
	});

	it('has the same headings: the same levels in the same order', () => {
		const levels = (markdown: string): string =>
			headingsOf(markdown)
				.map((heading) => '#'.repeat(heading.level))
				.join(' ');
		expect(levels(spanish)).toEqual(levels(readme));
	});

	it('links to the same docs/ pages and sections', () => {
		expect(docsTargets(spanish)).toEqual(docsTargets(readme));
	});

	it('names the same two commands and speaks as plainly', () => {
		expect(spanish).toContain('bash scripts/demo.sh');
		expect(spanish).toContain('bash scripts/test.sh');
		expect(JARGON.filter((word) => word.test(spanish)).map(String)).toEqual([]);
	});
});

describe('links in the READMEs and docs/', () => {
	it('every relative link reaches a file, and every #anchor a heading in it', () => {
		const files = ['README.md', 'README.es.md', 'CHANGELOG.md', ...docsPages()];
		expect(files.flatMap(brokenLinks)).toEqual([]);
	});

	it('the link checker itself: finds headings, anchors and links as GitHub does', () => {
		const sample = [
			'# Título',
			'## Modo cola (*queue mode*) y varios `workers`',
			'## Errores y qué hacer',
			'## Errores y qué hacer',
			'```',
			'## not a heading [nor](a-link.md)',
			'```',
			'See [one](docs/a.md#x), ![img](docs/s.png) and `[code](b.md)`.',
		].join('\n');
		expect(headingsOf(sample).map((heading) => heading.level)).toEqual([1, 2, 2, 2]);
		expect([...anchorsOf(sample)]).toEqual([
			'título',
			'modo-cola-queue-mode-y-varios-workers',
			'errores-y-qué-hacer',
			'errores-y-qué-hacer-1',
		]);
		expect(linksOf(sample)).toEqual(['docs/a.md#x', 'docs/s.png']);
	});
});
