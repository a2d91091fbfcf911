// Charts drawn as SVG, built element by element (never from a string of
// markup): the trend of the dashboard, a line over bars.

const NS = 'http://www.w3.org/2000/svg';

// An SVG element with its attributes, children appended; a string
// child is text.
function svg(tag, attrs, ...children) {
	const e = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		e.setAttribute(k, String(v));
	for (const c of children) {
		if (c === null || c === undefined)
			continue;
		e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
	}
	return e;
}

// A round top for an axis: 1, 2 or 5 times a power of ten, at least v.
function niceMax(v) {
	if (v <= 0)
		return 1;
	const p = Math.pow(10, Math.floor(Math.log10(v)));
	for (const m of [1, 2, 5, 10])
		if (m * p >= v)
			return m * p;
	return 10 * p;
}

// The trend: labels (the months), bars (a count, on the right axis,
// named barName) and a line (a percentage or null, on the left axis,
// named lineName).  Scales with its box: a viewBox, no fixed size.
export function trendChart(labels, bars, line, barName, lineName) {
	const W = 640, H = 260, L = 48, R = 56, T = 16, B = 44;
	const w = W - L - R, h = H - T - B, n = labels.length;
	const bmax = niceMax(Math.max(0, ...bars));
	const known = line.filter((v) => v !== null);
	// The rate's axis: from a round step below its lowest to 100.
	let lo = known.length ? Math.min(...known) : 0;
	lo = Math.max(0, Math.floor((lo - 1) / 5) * 5);
	const hi = 100;
	const x = (i) => L + (i + 0.5) * w / Math.max(n, 1);
	const yb = (v) => T + h - v / bmax * h;
	const yl = (v) => T + h - (v - lo) / (hi - lo || 1) * h;
	const g = svg('svg', {
		viewBox: '0 0 ' + W + ' ' + H, class: 'chart', role: 'img',
		'aria-label': lineName + ' / ' + barName,
	});
	// The grid and both axes' figures, four steps.
	for (let k = 0; k <= 4; k++) {
		const y = T + h - k * h / 4;
		g.appendChild(svg('line', { x1: L, x2: L + w, y1: y, y2: y,
		    class: 'grid' }));
		g.appendChild(svg('text', { x: L - 6, y: y + 4, class: 'axis',
		    'text-anchor': 'end' }, String(Math.round(lo + k *
		    (hi - lo) / 4)) + '%'));
		g.appendChild(svg('text', { x: L + w + 6, y: y + 4,
		    class: 'axis' }, String(Math.round(k * bmax / 4))));
	}
	const bw = Math.max(2, w / Math.max(n, 1) * 0.6);
	bars.forEach((v, i) => {
		g.appendChild(svg('rect', { x: x(i) - bw / 2, y: yb(v),
		    width: bw, height: Math.max(0, T + h - yb(v)),
		    class: 'bar month' }, svg('title', {}, labels[i] + ' ' +
		    barName + ' ' + v)));
	});
	let d = '';
	line.forEach((v, i) => {
		if (v === null)
			return;
		d += (d ? ' L' : 'M') + x(i).toFixed(1) + ' ' + yl(v).toFixed(1);
	});
	if (d)
		g.appendChild(svg('path', { d, class: 'line' }));
	line.forEach((v, i) => {
		if (v !== null)
			g.appendChild(svg('circle', { cx: x(i), cy: yl(v), r: 3.5,
			    class: 'dot' }, svg('title', {}, labels[i] + ' ' +
			    lineName + ' ' + v + '%')));
	});
	// Every label if they fit, else every other one.
	const step = n > 8 ? 2 : 1;
	labels.forEach((s, i) => {
		if ((n - 1 - i) % step === 0)
			g.appendChild(svg('text', { x: x(i), y: H - B + 18,
			    class: 'axis', 'text-anchor': 'middle' }, s));
	});
	// The legend.
	g.appendChild(svg('rect', { x: L, y: H - 16, width: 12, height: 10,
	    class: 'bar' }));
	g.appendChild(svg('text', { x: L + 16, y: H - 7, class: 'axis' },
	    barName));
	g.appendChild(svg('line', { x1: L + 140, x2: L + 160, y1: H - 11,
	    y2: H - 11, class: 'line' }));
	g.appendChild(svg('text', { x: L + 166, y: H - 7, class: 'axis' },
	    lineName));
	return g;
}
