/*
 * explorer.js: what the kgraph explorer does (render_html.c puts it in the
 * page, after the picture and the data).
 *
 * The page holds the graph twice: drawn, as Graphviz's SVG, whose node and
 * edge groups have the ids n<i> and e<i>, and as data, the node-link JSON
 * in #kg-data, whose nodes[i] and links[i] they draw. Clicks on the picture
 * are read back to indices through those ids; the side panel is built from
 * the data.
 *
 * Names are data, never markup: every text goes in through text nodes
 * (el(), textContent), so a name holding < > & " ' \ shows as it is.
 *
 * Where the documents have dates (nodes and links with "first" and
 * "last"), two sliders pick a range of them: a node or link whose first
 * to last date misses the range is hidden, as is one without dates once
 * the range is narrowed (as --since and --until leave undated documents
 * out).
 *
 * The page's words are Chinese, or English when kgraph wrote the page
 * with --lang en (<html lang="en">): WORDS below; the skeleton's own
 * words are named by data-text, data-title and data-placeholder.
 */
'use strict';

(() => {
    const data = JSON.parse(document.getElementById('kg-data').textContent);
    const typeList = JSON.parse(document.getElementById('kg-types').textContent);
    const picture = document.getElementById('kg-picture');
    const svg = picture.querySelector('svg');
    const searchBox = document.getElementById('kg-search');
    const resultList = document.getElementById('kg-results');
    const typeFilter = document.getElementById('kg-type-filter');
    const details = document.getElementById('kg-details');

    const MAX_RESULTS = 30;
    const MAX_DOCUMENTS = 10;
    const MAX_COMMUNITIES = 8;

    // ----------------------------------------------------------- the words

    const WORDS = {
        en: {
            zoomIn: 'Zoom in', zoomOut: 'Zoom out', reset: 'Reset view', resetTitle: 'Show the whole graph',
            help: 'Scroll to zoom · drag to pan · click a node or a link · Esc clears',
            find: 'Find a name', findHint: 'any name or alias, e.g. 魏桥', types: 'Types',
            colour: 'Colour by', byType: 'type', byCommunity: 'community',
            dates: 'Dates', since: 'from', until: 'to', dated: 'dates',
            hint: 'Click a node to see its links, or a link to read the sentences behind it.',
            mostMentioned: 'Most mentioned', mostCentral: 'Most central (PageRank)',
            communities: 'Communities', community: c => `community ${c}`,
            members: n => `${n} node${n === 1 ? '' : 's'}`,
            more: n => `… ${n} more`, links: n => `Links (${n})`, noLinks: 'No links.',
            linkTitle: 'Show the sentences behind this link',
            head: ['neighbour', 'type', 'weight', 'score', 'relation'],
            mentions: 'mentions', documents: 'documents', aliases: 'aliases', in: 'in',
            degree: 'degree', weightedDegree: 'weighted degree', betweenness: 'betweenness',
            pagerank: 'PageRank', weight: 'weight', score: 'score', relation: 'relation',
            windows: (n, w) => `${n} window${n === 1 ? '' : 's'} (${w}s)`,
            bytes: (doc, a, b) => `${doc} · bytes ${a}–${b}`,
            evidence: 'Evidence', noEvidence: 'No sentence was kept (--evidence 0).',
            untold: n => `${n} more window${n === 1 ? '' : 's'}: build with --evidence N to keep up to N.`,
            bothWays: r => `${r} (both ways)`, as: v => `as ${v}`, noName: 'No node has that name.',
            narrow: n => `${n} more: type more to narrow`,
            stats: (g, n, l) => [`${n} node${n === 1 ? '' : 's'}`, `${l} link${l === 1 ? '' : 's'}`,
                                 `${g.documents} document${g.documents === 1 ? '' : 's'}`,
                                 `${g.window} windows`, `score: ${g.measure}`,
                                 `${g.communities} communities`].join(' · '),
        },
        zh: {
            zoomIn: '放大', zoomOut: '缩小', reset: '全图', resetTitle: '显示整个图',
            help: '滚轮缩放 · 拖动平移 · 点击节点或连线 · Esc 清除',
            find: '查找名称', findHint: '名称或别名，例如 魏桥', types: '类型',
            colour: '着色', byType: '类型', byCommunity: '社区',
            dates: '日期', since: '从', until: '到', dated: '日期',
            hint: '点击节点查看其关联，点击连线阅读其依据句子。',
            mostMentioned: '提及最多', mostCentral: '最核心（PageRank）',
            communities: '社区', community: c => `社区 ${c}`, members: n => `${n} 个节点`,
            more: n => `… 另有 ${n} 个`, links: n => `关联（${n}）`, noLinks: '没有关联。',
            linkTitle: '显示这条关联的依据句子',
            head: ['相邻节点', '类型', '共现', '得分', '关系'],
            mentions: '提及次数', documents: '文档数', aliases: '别名', in: '出现于',
            degree: '度', weightedDegree: '加权度', betweenness: '中介中心性',
            pagerank: 'PageRank', weight: '共现', score: '得分', relation: '关系',
            windows: (n, w) => `${n} 个${{ sentence: '句子', paragraph: '段落', document: '文档' }[w] || w}`,
            bytes: (doc, a, b) => `${doc} · 字节 ${a}–${b}`,
            evidence: '依据', noEvidence: '没有保留句子（--evidence 0）。',
            untold: n => `另有 ${n} 处：用 --evidence N 保留最多 N 句。`,
            bothWays: r => `${r}（双向）`, as: v => `作为 ${v}`, noName: '没有这个名称的节点。',
            narrow: n => `另有 ${n} 个：请输入更多字以缩小范围`,
            stats: (g, n, l) => [`${n} 个节点`, `${l} 条关联`, `${g.documents} 篇文档`,
                                 `度量：${g.measure}`, `${g.communities} 个社区`].join(' · '),
        },
    };
    const W = document.documentElement.lang === 'en' ? WORDS.en : WORDS.zh;
    for (const e of document.querySelectorAll('[data-text]')) e.textContent = W[e.dataset.text];
    for (const e of document.querySelectorAll('[data-title]')) e.title = W[e.dataset.title];
    for (const e of document.querySelectorAll('[data-placeholder]')) e.placeholder = W[e.dataset.placeholder];

    // ------------------------------------------------------------ the data

    const nodes = data.nodes;
    const links = data.links;
    const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]));
    const ends = links.map(l => [nodeIndex.get(l.source), nodeIndex.get(l.target)]);
    const linksOf = nodes.map(() => []);
    ends.forEach(([s, t], l) => {
        linksOf[s].push(l);
        linksOf[t].push(l);
    });
    const typeStyle = new Map(typeList.map(t => [t.name, t]));
    const hiddenTypes = new Set();

    const otherEnd = (l, i) => (ends[l][0] === i ? ends[l][1] : ends[l][0]);
    const nodeElement = i => document.getElementById('n' + i);
    const edgeElement = l => document.getElementById('e' + l);
    // The range of days the sliders leave shown (null: all of them).
    let range = null;
    // A node's or link's first and last date (2021, 2021-03 or 2021-03-05)
    // as days: the first day of the one, the last of the other.
    const firstDay = d => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);
    const monthEnd = d => new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0)).getUTCDate();
    const lastDay = d => (d.length === 4 ? `${d}-12-31` : d.length === 7 ? `${d}-${monthEnd(d)}` : d);
    const outsideRange = x => range !== null &&
        (!x.first || lastDay(x.last) < range[0] || firstDay(x.first) > range[1]);
    const isFiltered = i => hiddenTypes.has(nodes[i].type) || outsideRange(nodes[i]);
    const linkFiltered = l => isFiltered(ends[l][0]) || isFiltered(ends[l][1]) || outsideRange(links[l]);

    // Keys every node has; any other key is an attribute of its entity.
    const NODE_KEYS = new Set(['id', 'label', 'type', 'count', 'docs', 'aliases', 'documents', 'community',
                               'degree', 'weighted_degree', 'betweenness', 'pagerank', 'first', 'last',
                               'years']);

    // "2019-05-10 – 2021-06", or "" without dates.
    const dateRange = x => (x.first ? (x.first === x.last ? x.first : `${x.first} – ${x.last}`) : '');

    // ------------------------------------------------------------- helpers

    // An element with properties and children; strings become text nodes.
    function el(tag, props, ...children) {
        const e = document.createElement(tag);
        Object.assign(e, props);
        e.append(...children);
        return e;
    }

    // A type's name after a swatch in its legend colours.
    function typeLabel(type) {
        const swatch = el('span', { className: 'kg-swatch' });
        const style = typeStyle.get(type);
        if (style) {
            swatch.style.backgroundColor = style.fill;
            swatch.style.borderColor = style.line;
        }
        return el('span', { className: 'kg-type' }, swatch, style && style.display ? style.display : type);
    }

    function nameButton(i) {
        const b = el('button', { type: 'button', className: 'kg-name-button' }, nodes[i].id);
        b.addEventListener('click', () => selectNode(i, true));
        return b;
    }

    // "A located_in B", "cooperates_with (both ways)", or "" for none.
    function relationText(link) {
        if (!link.relation) return '';
        if (!link.relation_from) return W.bothWays(link.relation);
        return `${link.relation_from} ${link.relation} ${link.relation_to}`;
    }

    // The relation seen from node i: its label and an arrow for its way.
    function relationFrom(link, i) {
        if (!link.relation) return '';
        if (!link.relation_from) return `${link.relation} ↔`;
        return link.relation_from === nodes[i].id ? `${link.relation} →` : `← ${link.relation}`;
    }

    function facts(pairs) {
        const dl = el('dl', { className: 'kg-facts' });
        for (const [term, value] of pairs)
            if (value !== '' && value !== undefined) dl.append(el('dt', {}, term), el('dd', {}, value));
        return dl;
    }

    // ----------------------------------------------------- the picture: view

    const home = (() => {
        const b = svg.viewBox.baseVal;
        return { x: b.x, y: b.y, w: b.width, h: b.height };
    })();
    let view = { ...home };

    function setView(v) {
        const w = Math.min(Math.max(v.w, home.w / 400), home.w * 4);
        const h = w * home.h / home.w;
        view = { x: v.x + (v.w - w) / 2, y: v.y + (v.h - h) / 2, w, h };
        svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
    }

    // The picture's own coordinates of a point on the screen.
    function toPicture(clientX, clientY) {
        return new DOMPoint(clientX, clientY).matrixTransform(svg.getScreenCTM().inverse());
    }

    // Zoom by factor (< 1: in) keeping the point under (clientX, clientY) still.
    function zoomAt(factor, clientX, clientY) {
        const p = toPicture(clientX, clientY);
        setView({ x: p.x - (p.x - view.x) * factor, y: p.y - (p.y - view.y) * factor,
                  w: view.w * factor, h: view.h * factor });
    }

    function zoomCentre(factor) {
        const r = svg.getBoundingClientRect();
        zoomAt(factor, r.left + r.width / 2, r.top + r.height / 2);
    }

    // An element's box in the picture's coordinates.
    function boxOf(element) {
        const b = element.getBBox();
        const m = svg.getScreenCTM().inverse().multiply(element.getScreenCTM());
        const corners = [[b.x, b.y], [b.x + b.width, b.y + b.height]]
            .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
        return { x0: Math.min(corners[0].x, corners[1].x), y0: Math.min(corners[0].y, corners[1].y),
                 x1: Math.max(corners[0].x, corners[1].x), y1: Math.max(corners[0].y, corners[1].y) };
    }

    // Show these elements, zoomed in no further than makes the first of them
    // a sixth of the view's width.
    function showElements(elements) {
        const boxes = elements.filter(e => e && !e.classList.contains('kg-hidden')).map(boxOf);
        if (!boxes.length) return;
        const x0 = Math.min(...boxes.map(b => b.x0)), x1 = Math.max(...boxes.map(b => b.x1));
        const y0 = Math.min(...boxes.map(b => b.y0)), y1 = Math.max(...boxes.map(b => b.y1));
        const pad = 0.15;
        let w = Math.max((x1 - x0) * (1 + 2 * pad), (y1 - y0) * (1 + 2 * pad) * home.w / home.h,
                         (boxes[0].x1 - boxes[0].x0) * 6);
        w = Math.min(w, home.w);
        const h = w * home.h / home.w;
        setView({ x: (x0 + x1) / 2 - w / 2, y: (y0 + y1) / 2 - h / 2, w, h });
    }

    // Drag to pan. A press that moves less than a few pixels is a click.
    let drag = null;
    svg.addEventListener('pointerdown', e => {
        if (e.button !== 0) return;
        drag = { x: e.clientX, y: e.clientY, view: { ...view }, moved: false,
                 scale: svg.getScreenCTM().a };
    });
    svg.addEventListener('pointermove', e => {
        if (!drag) return;
        const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (!drag.moved && Math.hypot(dx, dy) < 4) return;
        if (!drag.moved) {
            drag.moved = true;
            svg.setPointerCapture(e.pointerId);
            picture.classList.add('kg-dragging');
        }
        setView({ ...drag.view, x: drag.view.x - dx / drag.scale, y: drag.view.y - dy / drag.scale });
    });
    const endDrag = () => {
        picture.classList.remove('kg-dragging');
        // the click that ends a drag comes after pointerup: let it see the drag
        setTimeout(() => { drag = null; });
    };
    svg.addEventListener('pointerup', endDrag);
    svg.addEventListener('pointercancel', endDrag);
    svg.addEventListener('wheel', e => {
        e.preventDefault();
        zoomAt(Math.exp(Math.max(-100, Math.min(100, e.deltaY)) * 0.002), e.clientX, e.clientY);
    }, { passive: false });
    document.getElementById('kg-zoom-in').addEventListener('click', () => zoomCentre(1 / 1.5));
    document.getElementById('kg-zoom-out').addEventListener('click', () => zoomCentre(1.5));
    document.getElementById('kg-reset').addEventListener('click', () => setView(home));

    // ------------------------------------------------ the picture: selection

    // Each edge gets a wide invisible copy of its line to catch clicks.
    for (const path of svg.querySelectorAll('g.edge > path')) {
        const hit = path.cloneNode(false);
        hit.removeAttribute('id');
        hit.setAttribute('class', 'kg-hit');
        path.before(hit);
    }

    svg.addEventListener('click', e => {
        if (drag && drag.moved) return;
        const g = e.target.closest('g.node, g.edge');
        if (!g) return clearSelection();
        const index = Number(g.id.slice(1));
        if (g.classList.contains('node')) selectNode(index, false);
        else selectEdge(index);
    });

    function clearHighlight() {
        svg.classList.remove('kg-dimmed');
        for (const e of svg.querySelectorAll('.kg-hl, .kg-selected')) e.classList.remove('kg-hl', 'kg-selected');
    }

    function highlight(selectedElement, others) {
        clearHighlight();
        svg.classList.add('kg-dimmed');
        selectedElement?.classList.add('kg-hl', 'kg-selected');
        for (const e of others) e?.classList.add('kg-hl');
    }

    // --------------------------------------------------------- the details

    function clearSelection() {
        clearHighlight();
        showOverview();
    }

    function showOverview() {
        const top = nodes.slice(0, 10).map((n, i) => el('li', {}, nameButton(i), ' ', typeLabel(n.type),
                                                         el('span', { className: 'kg-count' }, ` ${n.count}`)));
        const central = nodes.map((n, i) => i).sort((a, b) => nodes[b].pagerank - nodes[a].pagerank || a - b)
            .slice(0, 10).map(i => el('li', {}, nameButton(i), ' ', typeLabel(nodes[i].type),
                                      el('span', { className: 'kg-count' }, ` ${nodes[i].pagerank}`)));
        details.replaceChildren(
            el('p', { className: 'kg-hint' }, W.hint),
            ...(top.length ? [el('h3', {}, W.mostMentioned), el('ol', { className: 'kg-top' }, ...top)] : []),
            ...(central.length ? [el('h3', {}, W.mostCentral),
                                  el('ol', { className: 'kg-central' }, ...central)] : []),
            ...communityList());
    }

    // The largest communities, each with its swatch and its most central
    // members (by PageRank).
    function communityList() {
        const members = [];
        nodes.forEach((n, i) => (members[n.community] ||= []).push(i));
        const shown = members.slice(0, MAX_COMMUNITIES).filter(m => m && m.length > 1);
        if (!shown.length) return [];
        const items = shown.map(m => {
            const c = nodes[m[0]].community;
            const swatch = el('span', { className: 'kg-swatch' });
            swatch.style.backgroundColor = communityColour(c);
            const best = [...m].sort((a, b) => nodes[b].pagerank - nodes[a].pagerank || a - b).slice(0, 3);
            return el('li', { className: 'kg-community' },
                      el('span', { className: 'kg-type' }, swatch, W.community(c)),
                      el('span', { className: 'kg-count' }, ` ${W.members(m.length)}: `),
                      ...best.flatMap((i, k) => (k ? [' · ', nameButton(i)] : [nameButton(i)])));
        });
        return [el('h3', {}, W.communities), el('ul', { className: 'kg-communities' }, ...items)];
    }

    function selectNode(i, focus) {
        if (isFiltered(i)) setTypeShown(nodes[i].type, true);
        const neighbours = linksOf[i].map(l => otherEnd(l, i));
        highlight(nodeElement(i), [...linksOf[i].map(edgeElement), ...neighbours.map(nodeElement)]);
        if (focus) showElements([nodeElement(i), ...neighbours.map(nodeElement)]);
        showNode(i);
    }

    function showNode(i) {
        const n = nodes[i];
        const attributes = Object.keys(n).filter(k => !NODE_KEYS.has(k)).map(k => [k, String(n[k])]);
        const documents = n.documents.slice(0, MAX_DOCUMENTS).join('\n') +
            (n.documents.length > MAX_DOCUMENTS ? `\n${W.more(n.documents.length - MAX_DOCUMENTS)}` : '');
        const documentsValue = el('span', {}, documents);
        documentsValue.style.whiteSpace = 'pre-line';
        details.replaceChildren(
            el('h2', {}, n.id),
            typeLabel(n.type),
            facts([[W.mentions, String(n.count)], [W.documents, String(n.docs)],
                   [W.aliases, n.aliases.join(' · ')], [W.communities, W.community(n.community)],
                   [W.degree, String(n.degree)], [W.weightedDegree, String(n.weighted_degree)],
                   [W.betweenness, String(n.betweenness)], [W.pagerank, String(n.pagerank)],
                   [W.dated, dateRange(n)], ...attributes, [W.in, documentsValue]]),
            el('h3', {}, W.links(linksOf[i].length)),
            linkTable(i));
    }

    function bestFirst(a, b) {
        return links[b].score - links[a].score || links[b].weight - links[a].weight || a - b;
    }

    function linkTable(i) {
        if (!linksOf[i].length) return el('p', { className: 'kg-hint' }, W.noLinks);
        const rows = [...linksOf[i]].sort(bestFirst).map(l => {
            const j = otherEnd(l, i), link = links[l];
            const open = el('button', { type: 'button', className: 'kg-name-button kg-neighbour',
                                        title: W.linkTitle }, nodes[j].id);
            const row = el('tr', { className: isFiltered(j) ? 'kg-filtered' : '' },
                           el('td', {}, open), el('td', {}, typeLabel(nodes[j].type)),
                           el('td', { className: 'kg-num' }, String(link.weight)),
                           el('td', { className: 'kg-num' }, String(link.score)),
                           el('td', { className: 'kg-relation' }, relationFrom(link, i)));
            row.addEventListener('click', () => selectEdge(l));
            return row;
        });
        const head = el('tr', {}, ...W.head.map(h => el('th', {}, h)));
        return el('table', { className: 'kg-links' }, el('thead', {}, head), el('tbody', {}, ...rows));
    }

    function selectEdge(l) {
        const [s, t] = ends[l];
        highlight(edgeElement(l), [nodeElement(s), nodeElement(t)]);
        showEdge(l);
    }

    function showEdge(l) {
        const link = links[l], [s, t] = ends[l];
        const items = link.evidence.map(k => data.sentences[k]).map(sentence =>
            el('li', {},
               el('p', { className: 'kg-sentence' }, ...marked(sentence.text, [s, t])),
               el('span', { className: 'kg-source' },
                  [sentence.date, sentence.title && `《${sentence.title}》`,
                   W.bytes(sentence.doc, sentence.start, sentence.end)].filter(Boolean).join(' · '))));
        const untold = link.weight - link.evidence.length;
        details.replaceChildren(
            el('h2', {}, nameButton(s), ' — ', nameButton(t)),
            facts([[W.weight, W.windows(link.weight, data.graph.window)],
                   [W.documents, String(link.docs)],
                   [W.score, `${link.score} (${link.measure})`],
                   [W.relation, relationText(link)], [W.dated, dateRange(link)]]),
            el('h3', {}, W.evidence),
            items.length ? el('ol', { className: 'kg-evidence' }, ...items)
                         : el('p', { className: 'kg-hint' }, W.noEvidence),
            ...(untold > 0 && items.length ? [el('p', { className: 'kg-more-note' }, W.untold(untold))] : []));
    }

    // The sentence as text nodes, the names of the nodes marked.
    function marked(text, nodeIndices) {
        const names = [...new Set(nodeIndices.flatMap(i => [nodes[i].id, ...nodes[i].aliases]))]
            .filter(name => name).sort((a, b) => b.length - a.length);
        const parts = [];
        let plain = '';
        for (let at = 0; at < text.length;) {
            const name = names.find(n => text.startsWith(n, at));
            if (name) {
                if (plain) parts.push(plain);
                parts.push(el('mark', {}, name));
                plain = '';
                at += name.length;
            } else {
                plain += text[at++];
            }
        }
        if (plain) parts.push(plain);
        return parts;
    }

    // --------------------------------------------------------------- search

    let results = [];
    let active = 0;

    // Nodes with a name (id or alias) holding the query: whole names first,
    // then names starting with it, then the rest; most mentioned first.
    function search(query) {
        const q = query.trim().toLowerCase();
        if (!q) return [];
        const found = [];
        nodes.forEach((n, i) => {
            let best = null;
            for (const name of [n.id, ...n.aliases]) {
                const at = name.toLowerCase().indexOf(q);
                if (at < 0) continue;
                const rank = name.length === q.length ? 0 : at === 0 ? 1 : 2;
                if (!best || rank < best.rank) best = { rank, name };
            }
            if (best) found.push({ node: i, rank: best.rank, via: best.name });
        });
        return found.sort((a, b) => a.rank - b.rank || a.node - b.node);
    }

    function showResults() {
        results = search(searchBox.value);
        active = 0;
        resultList.hidden = !searchBox.value.trim();
        const items = results.slice(0, MAX_RESULTS).map(({ node, via }, k) => {
            const n = nodes[node];
            const button = el('button', { type: 'button', className: isFiltered(node) ? 'kg-filtered' : '' },
                              el('span', { className: 'kg-result-name' }, n.id), typeLabel(n.type));
            if (via !== n.id) button.append(el('span', { className: 'kg-via' }, W.as(via)));
            button.addEventListener('click', () => pick(k));
            return el('li', { className: k === 0 ? 'kg-active' : '' }, button);
        });
        if (!results.length) items.push(el('li', { className: 'kg-more' }, W.noName));
        if (results.length > MAX_RESULTS)
            items.push(el('li', { className: 'kg-more' }, W.narrow(results.length - MAX_RESULTS)));
        resultList.replaceChildren(...items);
    }

    function setActive(k) {
        const shown = Math.min(results.length, MAX_RESULTS);
        if (!shown) return;
        active = (k + shown) % shown;
        [...resultList.children].forEach((li, i) => li.classList.toggle('kg-active', i === active));
        resultList.children[active].scrollIntoView({ block: 'nearest' });
    }

    function pick(k) {
        if (!results[k]) return;
        resultList.hidden = true;
        selectNode(results[k].node, true);
    }

    searchBox.addEventListener('input', showResults);
    searchBox.addEventListener('focus', () => { if (searchBox.value.trim()) showResults(); });
    searchBox.addEventListener('keydown', e => {
        if (e.key === 'ArrowDown') setActive(active + 1);
        else if (e.key === 'ArrowUp') setActive(active - 1);
        else if (e.key === 'Enter') pick(active);
        else return;
        e.preventDefault();
    });

    document.addEventListener('keydown', e => {
        if (e.key !== 'Escape') return;
        resultList.hidden = true;
        clearSelection();
    });

    // --------------------------------------------------------- type filter

    function applyFilters() {
        nodes.forEach((n, i) => nodeElement(i)?.classList.toggle('kg-hidden', isFiltered(i)));
        links.forEach((link, l) => edgeElement(l)?.classList.toggle('kg-hidden', linkFiltered(l)));
    }

    const typeBoxes = new Map();

    function setTypeShown(type, shown) {
        if (shown) hiddenTypes.delete(type);
        else hiddenTypes.add(type);
        typeBoxes.get(type).checked = shown;
        applyFilters();
    }

    function buildTypeFilter() {
        const counts = new Map();
        for (const n of nodes) counts.set(n.type, (counts.get(n.type) || 0) + 1);
        // the rules' order, then any type the rules did not list
        const types = [...typeList.map(t => t.name).filter(t => counts.has(t)),
                       ...[...counts.keys()].filter(t => !typeStyle.has(t))];
        typeFilter.replaceChildren(...types.map(type => {
            const box = el('input', { type: 'checkbox', checked: true });
            typeBoxes.set(type, box);
            box.addEventListener('change', () => setTypeShown(type, box.checked));
            return el('li', {}, el('label', {}, box, typeLabel(type),
                                   el('span', { className: 'kg-count' }, String(counts.get(type)))));
        }));
    }

    // ---------------------------------------------------------- date range

    // The sliders step through the days the nodes and links begin and end on.
    function buildTimeFilter() {
        const days = [...new Set([...nodes, ...links].filter(x => x.first)
            .flatMap(x => [firstDay(x.first), lastDay(x.last)]))].sort();
        if (!days.length) return;
        const since = document.getElementById('kg-since'), until = document.getElementById('kg-until');
        const shown = document.getElementById('kg-time-range');
        for (const slider of [since, until]) slider.max = String(days.length - 1);
        until.value = String(days.length - 1);
        const update = moved => {
            // the handle moved pushes the other along rather than cross it
            if (Number(since.value) > Number(until.value)) (moved === since ? until : since).value = moved.value;
            const whole = Number(since.value) === 0 && Number(until.value) === days.length - 1;
            range = whole ? null : [days[since.value], days[until.value]];
            shown.textContent = `${days[since.value]} – ${days[until.value]}`;
            applyFilters();
        };
        since.addEventListener('input', () => update(since));
        until.addEventListener('input', () => update(until));
        update(since);
        document.getElementById('kg-time').hidden = false;
    }

    // ------------------------------------------------------ colour by community

    // Twelve colours a community is told by (ColorBrewer Set3); the
    // communities after them, the smallest, share a grey.
    const PALETTE = ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462',
                     '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5', '#ffed6f'];
    const communityColour = c => (c < PALETTE.length ? PALETTE[c] : '#eeeeee');

    // The filled shape of each drawn node: Graphviz's polygon, ellipse or path.
    function nodeShapes(i) {
        const g = nodeElement(i);
        return g ? [...g.querySelectorAll('polygon, ellipse, path')].filter(s => s.getAttribute('fill') !== 'none') : [];
    }

    function colourBy(what) {
        nodes.forEach((n, i) => {
            for (const shape of nodeShapes(i)) {
                if (!('kgFill' in shape.dataset)) shape.dataset.kgFill = shape.getAttribute('fill');
                shape.setAttribute('fill', what === 'community' ? communityColour(n.community) : shape.dataset.kgFill);
            }
        });
        picture.classList.toggle('kg-by-community', what === 'community');
    }

    for (const radio of document.querySelectorAll('input[name="kg-colour"]'))
        radio.addEventListener('change', () => { if (radio.checked) colourBy(radio.value); });

    // ----------------------------------------------------------------- start

    document.getElementById('kg-stats').textContent = W.stats(data.graph, nodes.length, links.length);
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    buildTypeFilter();
    buildTimeFilter();
    showOverview();
})();
