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
    const isFiltered = i => hiddenTypes.has(nodes[i].type);

    // Keys every node has; any other key is an attribute of its entity.
    const NODE_KEYS = new Set(['id', 'label', 'type', 'count', 'docs', 'aliases', 'documents']);

    // ------------------------------------------------------------- helpers

    // An element with properties and children; strings become text nodes.
    function el(tag, props, ...children) {
        const e = document.createElement(tag);
        Object.assign(e, props);
        e.append(...children);
        return e;
    }

    function plural(n, word) {
        return `${n} ${word}${n === 1 ? '' : 's'}`;
    }

    // A type's name after a swatch in its legend colours.
    function typeLabel(type) {
        const swatch = el('span', { className: 'kg-swatch' });
        const style = typeStyle.get(type);
        if (style) {
            swatch.style.backgroundColor = style.fill;
            swatch.style.borderColor = style.line;
        }
        return el('span', { className: 'kg-type' }, swatch, type);
    }

    function nameButton(i) {
        const b = el('button', { type: 'button', className: 'kg-name-button' }, nodes[i].id);
        b.addEventListener('click', () => selectNode(i, true));
        return b;
    }

    // "A located_in B", "cooperates_with (both ways)", or "" for none.
    function relationText(link) {
        if (!link.relation) return '';
        if (!link.relation_from) return `${link.relation} (both ways)`;
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
        details.replaceChildren(
            el('p', { className: 'kg-hint' },
               'Click a node to see its links, or a link to read the sentences behind it.'),
            ...(top.length ? [el('h3', {}, 'Most mentioned'), el('ol', { className: 'kg-top' }, ...top)] : []));
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
            (n.documents.length > MAX_DOCUMENTS ? `\n… ${n.documents.length - MAX_DOCUMENTS} more` : '');
        const documentsValue = el('span', {}, documents);
        documentsValue.style.whiteSpace = 'pre-line';
        details.replaceChildren(
            el('h2', {}, n.id),
            typeLabel(n.type),
            facts([['mentions', String(n.count)], ['documents', String(n.docs)],
                   ['aliases', n.aliases.join(' · ')], ...attributes, ['in', documentsValue]]),
            el('h3', {}, `Links (${linksOf[i].length})`),
            linkTable(i));
    }

    function bestFirst(a, b) {
        return links[b].score - links[a].score || links[b].weight - links[a].weight || a - b;
    }

    function linkTable(i) {
        if (!linksOf[i].length) return el('p', { className: 'kg-hint' }, 'No links.');
        const rows = [...linksOf[i]].sort(bestFirst).map(l => {
            const j = otherEnd(l, i), link = links[l];
            const open = el('button', { type: 'button', className: 'kg-name-button kg-neighbour',
                                        title: 'Show the sentences behind this link' }, nodes[j].id);
            const row = el('tr', { className: isFiltered(j) ? 'kg-filtered' : '' },
                           el('td', {}, open), el('td', {}, typeLabel(nodes[j].type)),
                           el('td', { className: 'kg-num' }, String(link.weight)),
                           el('td', { className: 'kg-num' }, String(link.score)),
                           el('td', { className: 'kg-relation' }, relationFrom(link, i)));
            row.addEventListener('click', () => selectEdge(l));
            return row;
        });
        const head = el('tr', {}, ...['neighbour', 'type', 'weight', 'score', 'relation'].map(h => el('th', {}, h)));
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
                  `${sentence.doc} · bytes ${sentence.start}–${sentence.end}`)));
        const untold = link.weight - link.evidence.length;
        details.replaceChildren(
            el('h2', {}, nameButton(s), ' — ', nameButton(t)),
            facts([['weight', `${plural(link.weight, 'window')} (${data.graph.window}s)`],
                   ['documents', String(link.docs)],
                   [`score`, `${link.score} (${link.measure})`],
                   ['relation', relationText(link)]]),
            el('h3', {}, 'Evidence'),
            items.length ? el('ol', { className: 'kg-evidence' }, ...items)
                         : el('p', { className: 'kg-hint' }, 'No sentence was kept (--evidence 0).'),
            ...(untold > 0 && items.length
                ? [el('p', { className: 'kg-more-note' },
                      `${plural(untold, 'more window')}: build with --evidence N to keep up to N.`)]
                : []));
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
            if (via !== n.id) button.append(el('span', { className: 'kg-via' }, `as ${via}`));
            button.addEventListener('click', () => pick(k));
            return el('li', { className: k === 0 ? 'kg-active' : '' }, button);
        });
        if (!results.length) items.push(el('li', { className: 'kg-more' }, 'No node has that name.'));
        if (results.length > MAX_RESULTS)
            items.push(el('li', { className: 'kg-more' }, `${results.length - MAX_RESULTS} more: type more to narrow`));
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

    function applyTypeFilter() {
        nodes.forEach((n, i) => nodeElement(i)?.classList.toggle('kg-hidden', isFiltered(i)));
        ends.forEach(([s, t], l) => edgeElement(l)?.classList.toggle('kg-hidden', isFiltered(s) || isFiltered(t)));
    }

    const typeBoxes = new Map();

    function setTypeShown(type, shown) {
        if (shown) hiddenTypes.delete(type);
        else hiddenTypes.add(type);
        typeBoxes.get(type).checked = shown;
        applyTypeFilter();
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

    // ----------------------------------------------------------------- start

    document.getElementById('kg-stats').textContent = [
        plural(nodes.length, 'node'), plural(links.length, 'link'),
        plural(data.graph.documents, 'document'), `${data.graph.window} windows`,
        `score: ${data.graph.measure}`].join(' · ');
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    buildTypeFilter();
    showOverview();
})();
