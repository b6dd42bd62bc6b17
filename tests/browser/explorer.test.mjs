/*
 * tests/browser/explorer.test.mjs: the explorer (kgraph build -f html) and
 * the SVG in a real browser, Debian's chromium driven by playwright-core.
 * tests/e2e_browser.sh runs it:
 *
 *   node tests/browser/explorer.test.mjs WORK_DIR SCREENSHOT_DIR CHROMIUM
 *
 * Each test builds what it opens with ./kgraph into WORK_DIR, opens it from
 * a file:// URL with the network off, and uses it as a person would: types
 * into the search box, clicks the picture and the side panel. Any request
 * that leaves the file, any script error and any dialog fails the test.
 * Prints "ok NAME" or "FAIL NAME: why" per test, then
 * "browser: N passed, N failed"; exits 1 if anything failed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import cytoscape from 'cytoscape';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [WORK, SHOTS, CHROMIUM] = process.argv.slice(2);
// The explorer's default filters (usage_build, docs/cli.md), to build the
// JSON the page should hold.
const HTML_DEFAULTS = ['--min-count', '2', '--top-per-node', '3', '--top', '2000', '--drop-isolates'];
const ESCAPE_ARGS = ['tests/data/escape/article.txt', '-r', 'tests/data/escape/names.tsv',
                     '--no-default-filters'];
const ESCAPE_TITLE = '</title><script>window.__pwned = 1</script>"标题\' & \\';

// ---------------------------------------------------------------- helpers

function kgraph(...args) {
    execFileSync(path.join(ROOT, 'kgraph'), ['build', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}

function buildJson(name, ...args) {
    const file = path.join(WORK, name);
    kgraph(...args, '-f', 'json', '-o', file);
    return JSON.parse(readFileSync(file, 'utf8'));
}

function buildFile(name, ...args) {
    const file = path.join(WORK, name);
    kgraph(...args, '-o', file);
    return file;
}

function check(condition, message) {
    if (!condition) throw new Error(message);
}

function sameList(got, want, what) {
    const a = [...got].sort(), b = [...want].sort();
    check(JSON.stringify(a) === JSON.stringify(b), `${what}: got ${JSON.stringify(a)}, want ${JSON.stringify(b)}`);
}

// The node-link JSON's neighbours of node i, and its links' indices.
function linksOf(data, i) {
    const id = data.nodes[i].id;
    return data.links.map((l, k) => ({ ...l, index: k }))
        .filter(l => l.source === id || l.target === id)
        .map(l => ({ ...l, other: l.source === id ? l.target : l.source }));
}

let browser;

/* A page in a context of its own, offline; problems collects every request
 * that is not for a file, every script error and every dialog. */
async function open(file, viewport = { width: 1400, height: 850 }) {
    const context = await browser.newContext({ viewport, offline: true });
    const problems = [];
    await context.route('**/*', route => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        problems.push(`a request for ${url}`);
        return route.abort();
    });
    const page = await context.newPage();
    page.on('request', r => {
        if (!/^(file|data|blob|about):/.test(r.url())) problems.push(`a request for ${r.url()}`);
    });
    page.on('pageerror', e => problems.push(`script error: ${e.message}`));
    page.on('console', m => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    page.on('dialog', d => {
        problems.push(`a dialog: ${d.message()}`);
        d.dismiss().catch(() => {});
    });
    await page.goto(pathToFileURL(file).href);
    page.problems = problems;
    page.done = async () => {
        await context.close();
        check(!problems.length, problems.join('; '));
    };
    return page;
}

const details = page => page.locator('#kg-details');

async function search(page, text) {
    await page.locator('#kg-search').fill('');
    await page.locator('#kg-search').pressSequentially(text);
}

// Click the search result that is node `id`.
async function pickResult(page, id) {
    const names = await page.locator('#kg-results .kg-result-name').allTextContents();
    const k = names.indexOf(id);
    check(k >= 0, `searching lists ${JSON.stringify(names)}, not ${id}`);
    await page.locator('#kg-results button').nth(k).click();
}

/* A point on edge `index`'s line, on the screen, where a click reaches the
 * edge (no node or other edge on top); null if there is none. */
function edgePoint(page, index) {
    return page.evaluate(index => {
        const g = document.getElementById('e' + index);
        const line = g.querySelector('path:not(.kg-hit)');
        const length = line.getTotalLength();
        for (const at of [0.5, 0.4, 0.6, 0.3, 0.7]) {
            const p = line.getPointAtLength(length * at).matrixTransform(line.getScreenCTM());
            if (document.elementFromPoint(p.x, p.y)?.closest('g.edge') === g) return { x: p.x, y: p.y };
        }
        return null;
    }, index);
}

async function shownSentences(page) {
    return page.locator('#kg-details .kg-sentence').allTextContents();
}

// ------------------------------------------------------------------ tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('explorer_search_click_evidence', async () => {
    const data = buildJson('x.json', 'examples/', ...HTML_DEFAULTS);
    const file = buildFile('x.html', 'examples/', '-f', 'html');
    // a node known by an alias that is not its id, with two links or more
    const i = data.nodes.findIndex((n, k) => n.aliases.some(a => a !== n.id) && linksOf(data, k).length >= 2);
    check(i >= 0, 'the examples have no node with an alias and two links');
    const node = data.nodes[i], alias = node.aliases.find(a => a !== node.id);
    const links = linksOf(data, i);
    const page = await open(file);

    // search by the alias, pick the node: the panel shows it
    await search(page, alias);
    await pickResult(page, node.id);
    check(await details(page).locator('h2').textContent() === node.id, `picking ${alias} did not show ${node.id}`);

    // clear, then click the node in the picture
    await page.keyboard.press('Escape');
    await page.locator(`#n${i}`).click();
    check(await details(page).locator('h2').textContent() === node.id, `clicking #n${i} did not show ${node.id}`);
    check(await page.locator(`#n${i}.kg-selected`).count() === 1, 'the clicked node is not marked selected');
    sameList(await details(page).locator('.kg-neighbour').allTextContents(), links.map(l => l.other),
             `${node.id}'s neighbours in the panel`);
    await page.screenshot({ path: path.join(SHOTS, 'explorer.png') });

    // click one of its edges in the picture: its evidence shows
    let link = null, point = null;
    for (const l of links) if ((point = await edgePoint(page, l.index))) { link = l; break; }
    check(link, `no edge of ${node.id} can be clicked in the picture`);
    await page.mouse.click(point.x, point.y);
    const heading = await details(page).locator('h2').textContent();
    check(heading.includes(node.id) && heading.includes(link.other), `clicking #e${link.index} shows "${heading}"`);
    sameList(await shownSentences(page), link.evidence.map(k => data.sentences[k].text),
             `evidence of ${node.id} -- ${link.other}`);
    await page.screenshot({ path: path.join(SHOTS, 'explorer-edge.png') });

    // back to the node by its name, then another link from the panel's list
    await details(page).getByRole('button', { name: node.id, exact: true }).click();
    const other = links.find(l => l !== link);
    await details(page).locator('tbody tr').filter({ has: page.getByRole('button', { name: other.other, exact: true }) }).click();
    sameList(await shownSentences(page), other.evidence.map(k => data.sentences[k].text),
             `evidence of ${node.id} -- ${other.other} from the panel`);
    await page.done();
});

test('explorer_type_filter', async () => {
    const data = buildJson('x.json', 'examples/', ...HTML_DEFAULTS);
    const page = await open(buildFile('x.html', 'examples/', '-f', 'html'));
    const shown = () => page.evaluate(n => Array.from({ length: n }, (_, i) => {
        const box = document.getElementById('n' + i).getBoundingClientRect();
        return box.width > 0 && box.height > 0;
    }), data.nodes.length);
    const box = page.locator('#kg-type-filter li')
        .filter({ has: page.locator('.kg-type', { hasText: /^地区$/ }) }).locator('input');
    check(data.nodes.some(n => n.type === 'place') && data.nodes.some(n => n.type !== 'place'),
          'the examples need places and other nodes');
    check((await shown()).every(Boolean), 'not every node is drawn at first');
    await box.uncheck();
    const after = await shown();
    const wrong = data.nodes.filter((n, i) => after[i] !== (n.type !== 'place')).map(n => `${n.id} (${n.type})`);
    check(!wrong.length, `with place unticked, wrongly shown or hidden: ${wrong.join(', ')}`);
    const placeEdges = data.links.map((l, k) => k).filter(k => [data.links[k].source, data.links[k].target]
        .some(id => data.nodes.find(n => n.id === id).type === 'place'));
    check(await page.evaluate(ks => ks.every(k => !document.getElementById('e' + k).getBoundingClientRect().width), placeEdges),
          'an edge of a hidden place is still drawn');
    await box.check();
    check((await shown()).every(Boolean), 'ticking place again did not bring the places back');
    await page.done();
});

test('explorer_date_slider', async () => {
    const args = ['tests/data/time/', '--meta', 'tests/data/time/meta.tsv', '--no-default-filters'];
    const data = buildJson('time.json', ...args);
    const page = await open(buildFile('time.html', ...args, '-f', 'html'));
    const drawn = (prefix, n) => page.evaluate(([prefix, n]) => Array.from({ length: n }, (_, i) => {
        const box = document.getElementById(prefix + i).getBoundingClientRect();
        return box.width > 0 && box.height > 0;
    }), [prefix, n]);
    check(await page.locator('#kg-time').isVisible(), 'no date sliders for a graph with dates');
    check((await drawn('n', data.nodes.length)).every(Boolean), 'not every node is drawn at first');
    // "from" to its end: only what occurs on the last day is left
    const last = data.nodes.map(n => n.last || '').sort().pop();
    await page.locator('#kg-since').focus();
    await page.keyboard.press('End');
    check((await page.locator('#kg-time-range').textContent()).includes(`${last} – ${last}`),
          `the range shown is ${await page.locator('#kg-time-range').textContent()}, not ${last} – ${last}`);
    const nodes = await drawn('n', data.nodes.length);
    const wrong = data.nodes.filter((n, i) => nodes[i] !== (n.last === last)).map(n => `${n.id} (${n.first} – ${n.last})`);
    check(!wrong.length, `with the range at ${last}, wrongly shown or hidden: ${wrong.join(', ')}`);
    check(nodes.some(Boolean) && !nodes.every(Boolean), 'the test corpus needs nodes in and out of the range');
    const edges = await drawn('e', data.links.length);
    const wrongEdges = data.links.filter((l, k) => edges[k] !== (l.last === last)).map(l => `${l.source}–${l.target}`);
    check(!wrongEdges.length, `with the range at ${last}, wrongly shown or hidden links: ${wrongEdges.join(', ')}`);
    await page.keyboard.press('Home');
    check((await drawn('n', data.nodes.length)).every(Boolean), 'the whole range again did not show every node');
    await page.screenshot({ path: path.join(SHOTS, 'explorer-dates.png'), caret: 'initial' });
    await page.done();
    // a graph without dates has no sliders
    const undated = await open(buildFile('undated.html', 'tests/data/time/d.txt', '--no-default-filters', '-f', 'html'));
    check(!(await undated.locator('#kg-time').isVisible()), 'date sliders for a graph without dates');
    await undated.done();
});

test('explorer_community_colours', async () => {
    // the switch recolours every drawn node by its community, and back;
    // the overview lists the communities and the most central nodes
    const data = buildJson('x.json', 'examples/', ...HTML_DEFAULTS);
    const page = await open(buildFile('x.html', 'examples/', '-f', 'html'));
    const fills = () => page.evaluate(n => Array.from({ length: n }, (_, i) =>
        document.querySelector(`#n${i} polygon, #n${i} ellipse, #n${i} path`).getAttribute('fill')), data.nodes.length);
    const before = await fills();
    await page.locator('#kg-colour-community').check();
    const PALETTE = ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462',
                     '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5', '#ffed6f'];
    const after = await fills();
    const wrong = data.nodes.filter((n, i) => after[i] !== (PALETTE[n.community] || '#eeeeee')).map(n => n.id);
    check(!wrong.length, `not in their community's colour: ${wrong.slice(0, 3).join(', ')}`);
    check(new Set(after).size > 3, 'fewer than 4 community colours');
    await page.locator('#kg-colour-type').check();
    check(JSON.stringify(await fills()) === JSON.stringify(before), 'type colours did not come back');
    const lists = await page.locator('#kg-details h3').allTextContents();
    check(lists.includes('社区') && lists.includes('最核心（PageRank）'), `overview lists: ${lists}`);
    const best = data.nodes.map((n, i) => i).sort((a, b) => data.nodes[b].pagerank - data.nodes[a].pagerank || a - b)[0];
    const first = await page.locator('#kg-details .kg-central li button').first().textContent();
    check(first === data.nodes[best].id, `most central listed first: ${first}, not ${data.nodes[best].id}`);
    await page.screenshot({ path: path.join(SHOTS, 'explorer-communities.png'), caret: 'initial' });
    await page.done();
});

test('explorer_language', async () => {
    // Chinese by default, English with --lang en
    let page = await open(buildFile('zh.html', 'examples/', '-f', 'html'));
    check(await page.locator('html').getAttribute('lang') === 'zh-CN', 'not lang="zh-CN"');
    check(await page.locator('label[for="kg-search"]').textContent() === '查找名称', 'the search label is not Chinese');
    check((await page.locator('#kg-stats').textContent()).includes('个节点'), 'the counts are not in Chinese');
    await page.done();
    page = await open(buildFile('en.html', 'examples/', '-f', 'html', '--lang', 'en'));
    check(await page.locator('html').getAttribute('lang') === 'en', 'not lang="en"');
    check(await page.locator('label[for="kg-search"]').textContent() === 'Find a name', 'the search label is not English');
    check((await page.locator('.kg-type-filter').textContent()).includes('place'), 'types not by their names');
    await page.done();
});

test('cytoscape_reads_cyjs', async () => {
    // cytoscape.js (npm, headless) loads the cyjs export as it is: every
    // node and edge, each node at the picture's position (y down), and the
    // analysis in its data
    const file = buildFile('x.cyjs', 'examples/', '-f', 'cyjs');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    // the preset layout keeps the positions given (the default, null, puts all at 0, 0)
    const cy = cytoscape({ headless: true, styleEnabled: false, elements: data.elements, layout: { name: 'preset' } });
    const json = buildJson('x.json', 'examples/');
    check(cy.nodes().length === json.nodes.length && cy.edges().length === json.links.length,
          `cytoscape.js read ${cy.nodes().length} nodes and ${cy.edges().length} edges`);
    for (const n of json.nodes) {
        const node = cy.getElementById(n.id);
        check(node.length === 1, `no node ${n.id}`);
        const p = node.position();
        check(Math.abs(p.x - n.x) < 1e-9 && Math.abs(p.y + n.y) < 1e-9,
              `${n.id} at ${JSON.stringify(p)}, in the JSON (${n.x}, ${n.y})`);
        check(node.data('community') === n.community && node.data('pagerank') === n.pagerank,
              `${n.id}: analysis differs`);
    }
    const xs = cy.nodes().map(n => n.position('x'));
    check(Math.max(...xs) - Math.min(...xs) > 100, 'the positions are not spread out');
});

test('explorer_escaping', async () => {
    const data = buildJson('esc.json', ...ESCAPE_ARGS);
    const page = await open(buildFile('esc.html', ...ESCAPE_ARGS, '-f', 'html', '--title', ESCAPE_TITLE));
    check(await page.title() === ESCAPE_TITLE, `the title reads ${JSON.stringify(await page.title())}`);
    check(await page.locator('h1').textContent() === ESCAPE_TITLE, 'the heading is not the title as given');
    const labels = await page.locator('#kg-picture svg g.node text').allTextContents();
    sameList(labels, data.nodes.map(n => n.id), 'the picture\'s labels');
    for (const n of data.nodes) {
        await search(page, n.id);
        await pickResult(page, n.id);
        check(await details(page).locator('h2').textContent() === n.id, `the panel does not show ${n.id} as it is`);
        const aliases = await details(page).locator('dd').nth(2).textContent();
        check(aliases === n.aliases.join(' · '), `aliases shown as ${aliases}`);
    }
    const l = data.links[0];
    await search(page, l.source);
    await pickResult(page, l.source);
    await details(page).locator('tbody tr').filter({ has: page.getByRole('button', { name: l.target, exact: true }) }).click();
    sameList(await shownSentences(page), l.evidence.map(k => data.sentences[k].text), 'the evidence');
    // nothing the names hold ran or became markup
    const injected = await page.evaluate(() => ({
        pwned: window.__pwned,
        scripts: document.scripts.length,
        handlers: [...document.querySelectorAll('*')].flatMap(e => e.getAttributeNames())
            .filter(a => a.startsWith('on')),
    }));
    check(injected.pwned === undefined, 'window.__pwned was set');
    check(injected.scripts === 3, `${injected.scripts} script elements, not the page's 3`);
    check(!injected.handlers.length, `event handler attributes: ${injected.handlers}`);
    await page.done();
});

test('injection_does_not_run', async () => {
    // a name holding '" onmouseover="' and a gazetteer attribute
    // URL=javascript:… neither become markup, in the explorer or the plain
    // SVG: hovering and clicking every node runs nothing
    const text = path.join(WORK, 'inj.txt'), gazetteer = path.join(WORK, 'inj.tsv');
    writeFileSync(text, '实施《计划" onmouseover="window.__pwned=1//》和魏桥创业集团合作。\n');
    writeFileSync(gazetteer, 'company\t魏桥创业集团\t魏桥创业集团\tURL=javascript:window.__pwned=2\n');
    for (const format of ['html', 'svg']) {
        const page = await open(buildFile(`inj.${format}`, text, '-r', gazetteer, '--no-default-filters', '-f', format));
        const found = await page.evaluate(() => {
            const nodes = [...document.querySelectorAll('g.node')];
            for (const e of nodes.flatMap(g => [g, ...g.querySelectorAll('*')]))
                for (const type of ['mouseover', 'mouseenter', 'click'])
                    e.dispatchEvent(new MouseEvent(type, { bubbles: true }));
            const all = [...document.querySelectorAll('*')];
            return {
                nodes: nodes.length,
                pwned: window.__pwned,
                handlers: all.flatMap(e => e.getAttributeNames()).filter(a => a.startsWith('on')),
                links: all.map(e => e.getAttribute('href') ?? e.getAttribute('xlink:href')).filter(Boolean),
            };
        });
        check(found.nodes === 2, `${format}: ${found.nodes} nodes drawn, not 2`);
        check(found.pwned === undefined, `${format}: window.__pwned was set to ${found.pwned}`);
        check(!found.handlers.length, `${format}: event handler attributes: ${found.handlers}`);
        check(!found.links.length, `${format}: links: ${found.links}`);
        if (format === 'html') {
            // and the page's policy would stop one that got in: no 'unsafe-inline'
            const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
            check(!csp.includes('unsafe-inline'), `the policy allows inline scripts: ${csp}`);
            const ran = await page.evaluate(() => {
                const b = document.createElement('button');
                b.setAttribute('onclick', 'window.__pwned = 3');
                document.body.append(b);
                b.click();
                b.remove();
                return window.__pwned;
            });
            check(ran === undefined, 'an inline event handler ran');
            const refused = page.problems.filter(p => /inline event handler/.test(p));
            check(refused.length, 'the browser did not refuse the inline handler');
            page.problems.splice(0, page.problems.length, ...page.problems.filter(p => !refused.includes(p)));
        }
        await page.done();
    }
});

/* Every distinct character of the labels drawn in its label's font on a
 * canvas, compared with a character no font has (U+10FFFD), which the
 * browser draws as the .notdef box: a character drawn the same is a box
 * where a name should be. */
function findTofu(page, selector) {
    return page.evaluate(selector => {
        const canvas = new OffscreenCanvas(40, 40);
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        const draw = (ch, family) => {
            ctx.clearRect(0, 0, 40, 40);
            ctx.font = `32px ${family}`;
            ctx.textBaseline = 'top';
            ctx.fillText(ch, 4, 4);
            return ctx.getImageData(0, 0, 40, 40).data.filter((_, k) => k % 4 === 3).join(',');
        };
        const chars = new Map(); // character -> font family of a label that has it
        for (const e of document.querySelectorAll(selector)) {
            if (!e.checkVisibility()) continue;
            const family = getComputedStyle(e).fontFamily;
            for (const text of e.childNodes)
                if (text.nodeType === Node.TEXT_NODE)
                    for (const ch of text.data) if (ch.trim()) chars.set(ch, family);
        }
        const notdef = new Map(), drawings = new Set(), tofu = [];
        let notdefInk = Infinity;
        for (const [ch, family] of chars) {
            if (!notdef.has(family)) {
                const box = draw('\u{10FFFD}', family);
                notdef.set(family, box);
                notdefInk = Math.min(notdefInk, box.split(',').filter(v => v !== '0').length);
            }
            const drawing = draw(ch, family);
            drawings.add(drawing);
            if (drawing === notdef.get(family)) tofu.push(ch);
        }
        return { chars: [...chars.keys()].join(''), tofu: tofu.join(''), distinct: drawings.size, notdefInk };
    }, selector);
}

function checkNoTofu(result, what) {
    check(result.notdefInk > 0, `U+10FFFD draws nothing in ${what}, so boxes cannot be told from glyphs`);
    check(/\p{Script=Han}/u.test(result.chars), `${what} has no Chinese character: ${result.chars}`);
    check(!result.tofu, `${what}: drawn as the .notdef box: ${result.tofu}`);
    check(result.distinct > 1, `${what}: all ${result.chars.length} characters are drawn alike`);
}

test('no_tofu_svg', async () => {
    const page = await open(buildFile('x.svg', 'examples/', '-f', 'svg'));
    checkNoTofu(await findTofu(page, 'text'), 'the SVG');
    // caret: the default hides it with a style sheet, and waits for an SVG
    // document to apply it, which never happens (fullPage never ends either)
    await page.screenshot({ path: path.join(SHOTS, 'svg.png'), caret: 'initial' });
    await page.done();
});

test('no_tofu_explorer', async () => {
    const data = buildJson('x.json', 'examples/', ...HTML_DEFAULTS);
    const page = await open(buildFile('x.html', 'examples/', '-f', 'html'));
    // a node's panel, then an edge's, so the panel holds names and sentences
    const l = data.links[0];
    await page.locator(`#n${data.nodes.findIndex(n => n.id === l.source)}`).click();
    await details(page).locator('tbody tr').filter({ has: page.getByRole('button', { name: l.target, exact: true }) }).click();
    checkNoTofu(await findTofu(page, '#kg-picture svg text, .kg-panel *'), 'the explorer');
    await page.done();
});

// ------------------------------------------------------------------- main

let passed = 0, failed = 0;
try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    for (const t of tests) {
        try {
            await t.fn();
            console.log(`ok ${t.name}`);
            passed++;
        } catch (e) {
            console.log(`FAIL ${t.name}: ${(e.stderr ? String(e.stderr) : '') || e.message}`.split('\n')[0]);
            failed++;
        }
    }
    console.log(`screenshots: ${SHOTS}/explorer.png, explorer-edge.png, explorer-dates.png, svg.png`);
} catch (e) {
    console.log(`FAIL browser: cannot start ${CHROMIUM}: ${e.message.split('\n')[0]}`);
    failed++;
} finally {
    await browser?.close();
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
